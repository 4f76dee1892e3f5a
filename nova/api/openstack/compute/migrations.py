"""``GET /os-migrations``: migrations of every cell, filtered and (2.59+) paged newest first.

2.23 adds ``migration_type`` and links of in-progress live migrations, 2.59
``uuid``, paging and ``changes-since``, 2.66 ``changes-before``, 2.80
``user_id``/``project_id`` (fields and filters).
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import migrations as schema
from nova.api.openstack.compute.views import migrations as migrations_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import context as nova_context
from nova import objects

LOG = logging.getLogger(__name__)


def _parse_time(value, name):
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation='Invalid %s value %s' % (name, value))


class MigrationsController(wsgi.Controller):

    def _filters(self, req, context):
        version = req.api_version_request
        get = req.GET
        filters = {}
        for key in ('host', 'instance_uuid', 'source_compute', 'status', 'migration_type'):
            if key in get:
                filters[key] = get[key]
        if 'migration_type' in filters and version < '2.23':
            filters.pop('migration_type')
        if 'hidden' in get:
            from oslo_utils import strutils
            filters['hidden'] = strutils.bool_from_string(get['hidden'], strict=True)
        else:
            filters['hidden'] = False
        if version >= '2.59' and 'changes-since' in get:
            filters['changes-since'] = _parse_time(get['changes-since'], 'changes-since')
        if version >= '2.66' and 'changes-before' in get:
            filters['changes-before'] = _parse_time(get['changes-before'], 'changes-before')
            common.check_changes_window(filters.get('changes-since'),
                                        filters['changes-before'])
        if version >= '2.80':
            for key in ('user_id', 'project_id'):
                if key in get:
                    filters[key] = get[key]
        return filters

    @staticmethod
    def _gather(context, filters):
        found = []
        for cell in objects.CellMappingList.get_all(context):
            try:
                with nova_context.target_cell(context, cell) as cctxt:
                    found.extend(objects.MigrationList.get_by_filters(cctxt, filters))
            except Exception:
                LOG.warning('Cell %s did not answer; its migrations are not listed',
                            cell.uuid, exc_info=True)
        epoch = datetime.datetime.min
        found.sort(key=lambda m: (timeutils.normalize_time(m.created_at)
                                  if m.created_at else epoch, m.id), reverse=True)
        return found

    @validation.query_schema(schema.query, '2.0', '2.58')
    @validation.query_schema(schema.query_v259, '2.59', '2.65')
    @validation.query_schema(schema.query_v266, '2.66', '2.79')
    @validation.query_schema(schema.query_v280, '2.80')
    @wsgi.expected_errors(400)
    def index(self, req):
        context = req.environ['nova.context']
        filters = self._filters(req, context)
        project_id = filters.get('project_id', context.project_id)
        context.can('os_compute_api:os-migrations:index', target={'project_id': project_id})
        if not context.can('os_compute_api:os-migrations:index:all_projects',
                           target={'project_id': project_id}, fatal=False):
            filters['project_id'] = context.project_id
        show_hosts = context.can('os_compute_api:os-migrations:index:host',
                                 target={'project_id': project_id}, fatal=False)
        if 'host' in filters and not show_hosts:
            filters.pop('host')
        migrations = self._gather(context, filters)
        links = None
        if req.api_version_request >= '2.59':
            limit, marker = common.get_limit_and_marker(req)
            if marker is not None:
                uuids = [m.uuid for m in migrations]
                if marker not in uuids:
                    raise webob.exc.HTTPBadRequest(
                        explanation='Marker %s could not be found.' % marker)
                migrations = migrations[uuids.index(marker) + 1:]
            if limit is not None and len(migrations) >= limit:
                migrations = migrations[:limit]
                if migrations:
                    links = [{'rel': 'next', 'href': common.ViewBuilder()._get_next_link(
                        req, migrations[-1].uuid, 'os-migrations')}]
        body = {'migrations': [migrations_view.migration(req, m, show_hosts) for m in migrations]}
        if links:
            body['migrations_links'] = links
        return body
