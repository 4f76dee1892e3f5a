"""``/servers/{server_id}/migrations``: a server's in-progress live migrations.

2.22 lets a project manager force one to complete (``force_complete``
action), 2.23 lists and shows them, 2.24 aborts one (2.65: also while
queued or preparing).  Fields: 2.59 adds ``uuid``, 2.80 ``user_id`` and
``project_id``.  Host fields are shown to whom
``os_compute_api:servers:migrations:index:host`` allows (administrators by
default), null to others.
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import server_migrations as schema
from nova.api.openstack.compute.views import server_migrations as server_migrations_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import exception

_POLICY = 'os_compute_api:servers:migrations:%s'
class ServerMigrationsController(wsgi.Controller):

    @staticmethod
    def _server(req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return context, instance

    @wsgi.Controller.api_version('2.23')
    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        context, instance = self._server(req, server_id, 'index')
        show_hosts = context.can(_POLICY % 'index:host',
                                 target={'project_id': instance.project_id}, fatal=False)
        migrations = compute_api.get().get_migrations_in_progress_by_instance(
            context, instance, compute_api.LIVE_MIGRATION)
        return {'migrations': [server_migrations_view.migration(req, m, show_hosts)
                               for m in migrations]}

    @wsgi.Controller.api_version('2.23')
    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        context, instance = self._server(req, server_id, 'show')
        try:
            migration = compute_api.get().get_migration_by_id_and_instance(context, id, instance)
        except exception.MigrationNotFoundForInstance:
            raise webob.exc.HTTPNotFound(explanation=(
                'In-progress live migration %s is not found for server %s.'
                % (id, server_id)))
        if migration.migration_type != compute_api.LIVE_MIGRATION:
            raise webob.exc.HTTPNotFound(explanation=(
                'Migration %s for server %s is not live-migration.' % (id, server_id)))
        if migration.status not in compute_api.MIGRATION_IN_PROGRESS:
            raise webob.exc.HTTPNotFound(explanation=(
                'Live migration %s for server %s is not in progress.' % (id, server_id)))
        return {'migration': server_migrations_view.migration(req, migration, show_hosts=True)}

    @wsgi.Controller.api_version('2.22')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409))
    @wsgi.action('force_complete')
    @validation.schema(schema.force_complete)
    def _force_complete(self, req, id, server_id, body):
        context, instance = self._server(req, server_id, 'force_complete')
        try:
            compute_api.get().live_migrate_force_complete(context, instance, id)
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.MigrationNotFoundByStatus, exception.InvalidMigrationState,
                exception.MigrationNotFoundForInstance) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except exception.InstanceIsLocked as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(
                error, 'force_complete', server_id)

    @wsgi.Controller.api_version('2.24')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409))
    def delete(self, req, server_id, id):
        context, instance = self._server(req, server_id, 'delete')
        try:
            compute_api.get().live_migrate_abort(
                context, instance, id,
                support_abort_in_queue=req.api_version_request >= '2.65')
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.MigrationNotFoundForInstance as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.InvalidMigrationState as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except exception.InstanceIsLocked as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(
                error, 'abort live migration', server_id)
