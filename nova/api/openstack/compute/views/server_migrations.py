"""A server's live migrations as the API shows them."""

_HOST_FIELDS = ('dest_compute', 'dest_host', 'dest_node', 'source_compute', 'source_node')
# field in the answer -> Migration attribute
_FIELDS = {
    'created_at': 'created_at', 'updated_at': 'updated_at', 'id': 'id',
    'server_uuid': 'instance_uuid', 'status': 'status',
    'memory_total_bytes': 'memory_total', 'memory_processed_bytes': 'memory_processed',
    'memory_remaining_bytes': 'memory_remaining', 'disk_total_bytes': 'disk_total',
    'disk_processed_bytes': 'disk_processed', 'disk_remaining_bytes': 'disk_remaining',
}
# fields a microversion adds: (from version, fields)
_ADDED = (('2.59', ('uuid',)), ('2.80', ('user_id', 'project_id')))


def migration(req, migration, show_hosts):
    """A live migration of a server (host fields null unless ``show_hosts``)."""
    body = {key: getattr(migration, attr) for key, attr in _FIELDS.items()}
    for key in _HOST_FIELDS:
        body[key] = getattr(migration, key) if show_hosts else None
    for version, fields in _ADDED:
        if req.api_version_request >= version:
            body.update({key: getattr(migration, key) for key in fields})
    return body
