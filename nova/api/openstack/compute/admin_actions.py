"""Operator actions on a server: os-resetState forces a stuck server to ACTIVE
or ERROR; injectNetworkInfo has its host push the network info into the guest.

resetNetwork only ever worked with the XenAPI driver; upstream removed it with
that driver (Wallaby), and it answers 410 Gone to everyone, whatever the server.
"""

import webob.exc

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import admin_actions as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import parameter_types

_POLICY = 'os_compute_api:os-admin-actions:%s'


class AdminActionsController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('os-resetState')
    @validation.schema(schema.reset_state)
    def _reset_state(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'reset_state')
        with self._conflicts('os-resetState', id):
            self.compute_api.reset_state(context, instance, body['os-resetState']['state'])

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @wsgi.action('injectNetworkInfo')
    @validation.schema(parameter_types.no_body('injectNetworkInfo'))
    def _inject_network_info(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'inject_network_info')
        with self._conflicts('injectNetworkInfo', id):
            self.compute_api.inject_network_info(context, instance)

    @wsgi.expected_errors(410)
    @wsgi.action('resetNetwork')
    @validation.schema(parameter_types.no_body('resetNetwork'))
    def _reset_network(self, req, id, body):
        raise webob.exc.HTTPGone()
