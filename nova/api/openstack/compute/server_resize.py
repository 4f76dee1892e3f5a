"""resize, confirmResize and revertResize (servers) and migrate (os-migrate-server)
server actions."""

import webob.exc

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_resize as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

_SERVERS_POLICY = 'os_compute_api:servers:%s'
_MIGRATE_POLICY = 'os_compute_api:os-migrate-server:%s'
_FLAVOR_ATTRS = ['flavor', 'system_metadata']


class ServerResizeController(action_base.ServerActionController):

    def _move(self, action, server_id, call, *args, **kwargs):
        """Run a move, turning its refusals into upstream's faults."""
        with self._conflicts(action, server_id):
            try:
                call(*args, **kwargs)
            except (exception.FlavorNotFound, exception.ComputeHostNotFound) as error:
                raise webob.exc.HTTPBadRequest(explanation=error.format_message())
            except (exception.CannotResizeToSameFlavor, exception.CannotResizeDisk,
                    exception.CannotMigrateToSameHost) as error:
                raise webob.exc.HTTPBadRequest(explanation=error.format_message())
            except exception.TooManyInstances as error:
                raise webob.exc.HTTPForbidden(explanation=error.format_message())
            except exception.MigrationNotFoundByStatus:
                raise webob.exc.HTTPBadRequest(explanation='Instance has not been resized.')
            except exception.ComputeServiceUnavailable as error:
                raise webob.exc.HTTPConflict(explanation=error.format_message())

    @wsgi.response(202)
    @wsgi.expected_errors((400, 401, 403, 404, 409))
    @wsgi.action('resize')
    @validation.schema(schema.resize)
    def _action_resize(self, req, id, body):
        context, instance = self._authorized(req, id, _SERVERS_POLICY % 'resize',
                                             expected_attrs=_FLAVOR_ATTRS)
        flavor_id = str(body['resize']['flavorRef'])
        self._move('resize', id, self.compute_api.resize, context, instance,
                   flavor_id=flavor_id)

    @wsgi.response(204)
    @wsgi.expected_errors((400, 404, 409))
    @wsgi.action('confirmResize')
    def _action_confirm_resize(self, req, id, body):
        context, instance = self._authorized(req, id, _SERVERS_POLICY % 'confirm_resize',
                                             expected_attrs=_FLAVOR_ATTRS)
        self._move('confirmResize', id, self.compute_api.confirm_resize, context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('revertResize')
    def _action_revert_resize(self, req, id, body):
        context, instance = self._authorized(req, id, _SERVERS_POLICY % 'revert_resize',
                                             expected_attrs=_FLAVOR_ATTRS)
        self._move('revertResize', id, self.compute_api.revert_resize, context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('migrate')
    @validation.schema(schema.migrate, '2.1', '2.55')
    @validation.schema(schema.migrate_v256, '2.56')
    def _migrate(self, req, id, body):
        context, instance = self._authorized(req, id, _MIGRATE_POLICY % 'migrate',
                                             expected_attrs=_FLAVOR_ATTRS)
        host_name = None
        if req.api_version_request >= '2.56':
            host_name = (body['migrate'] or {}).get('host')
            if host_name:
                context.can(_MIGRATE_POLICY % 'migrate:host',
                            target={'project_id': instance.project_id})
        self._move('migrate', id, self.compute_api.migrate, context, instance,
                   host_name=host_name)
