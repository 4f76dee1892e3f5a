"""Migrations (``/os-migrations``) as the API shows them."""

from nova.api.openstack import common

_IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')
_HOST_FIELDS = ('source_compute', 'dest_compute', 'source_node', 'dest_node', 'dest_host')


def migration(req, migration, show_hosts):
    """A migration of any server (host fields null unless ``show_hosts``)."""
    version = req.api_version_request
    body = {key: getattr(migration, key) for key in (
        'id', 'instance_uuid', 'new_instance_type_id', 'old_instance_type_id', 'status',
        'created_at', 'updated_at') + _HOST_FIELDS}
    if not show_hosts:
        body.update(dict.fromkeys(_HOST_FIELDS))
    if version >= '2.23':
        body['migration_type'] = migration.migration_type
        if (migration.migration_type == 'live-migration'
                and migration.status in _IN_PROGRESS):
            view = common.ViewBuilder()
            path = 'servers/%s/migrations' % migration.instance_uuid
            body['links'] = [
                {'rel': 'self', 'href': view._get_href_link(req, migration.id, path)},
                {'rel': 'bookmark',
                 'href': view._get_bookmark_link(req, migration.id, path)}]
    if version >= '2.59':
        body['uuid'] = migration.uuid
    if version >= '2.80':
        body['user_id'] = migration.user_id
        body['project_id'] = migration.project_id
    return body
