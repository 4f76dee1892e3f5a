"""shelve, shelveOffload and unshelve server actions (os-shelve)."""

import webob.exc

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import shelve as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

_POLICY = 'os_compute_api:os-shelve:%s'
# What the compute host reads of the server (it cannot load attributes itself).
_COMPUTE_ATTRS = ['system_metadata', 'flavor', 'info_cache']


class ShelveController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('shelve')
    @validation.schema(schema.shelve)
    def _shelve(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'shelve',
                                             expected_attrs=_COMPUTE_ATTRS,
                                             user_scoped=True)
        with self._conflicts('shelve', id):
            self.compute_api.shelve(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('shelveOffload')
    @validation.schema(schema.shelve_offload)
    def _shelve_offload(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'shelve_offload',
                                             expected_attrs=_COMPUTE_ATTRS)
        with self._conflicts('shelveOffload', id):
            self.compute_api.shelve_offload(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('unshelve')
    @validation.schema(schema.unshelve, '2.1', '2.76')
    @validation.schema(schema.unshelve_v277, '2.77', '2.90')
    @validation.schema(schema.unshelve_v291, '2.91')
    def _unshelve(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'unshelve',
                                             expected_attrs=_COMPUTE_ATTRS)
        entity = body['unshelve'] if isinstance(body['unshelve'], dict) else {}
        kwargs = {}
        if 'availability_zone' in entity:
            kwargs['new_az'] = entity['availability_zone']
        if entity.get('host'):
            context.can(_POLICY % 'unshelve_to_host',
                        target={'project_id': instance.project_id})
            kwargs['host'] = entity['host']
        try:
            with self._conflicts('unshelve', id):
                try:
                    self.compute_api.unshelve(context, instance, **kwargs)
                except exception.UnshelveInstanceInvalidState as error:
                    raise webob.exc.HTTPConflict(explanation=error.format_message())
        except (exception.InvalidAvailabilityZone, exception.ComputeHostNotFound,
                exception.UnshelveHostNotInAZ) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

