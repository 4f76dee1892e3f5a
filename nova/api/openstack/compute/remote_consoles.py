"""Remote consoles: a URL on a console proxy that opens one server's console.

``POST /servers/{id}/remote-consoles`` (2.6+) takes a protocol and a type;
before 2.6 the ``os-getVNCConsole``, ``os-getSPICEConsole`` and
``os-getSerialConsole`` server actions did the same per protocol. RDP went
with the Hyper-V driver: asking for it is a 400. The compute host of the
server records a console auth token; the URL carries it.
"""

import webob.exc

import nova.conf
from nova.api.openstack import common
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import remote_consoles as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

CONF = nova.conf.CONF
POLICY = 'os_compute_api:os-remote-consoles'

# Protocols, and the console types each one may serve.
PROTOCOL_TYPES = {
    'vnc': ('novnc', 'xvpvnc'),
    'spice': ('spice-html5', 'spice-direct'),
    'serial': ('serial',),
    'mks': ('webmks',),
    'rdp': ('rdp-html5',),
}


class RemoteConsolesController(action_base.ServerActionController):

    def _handler(self, protocol):
        api = self.compute_api
        return {'vnc': api.get_vnc_console, 'spice': api.get_spice_console,
                'serial': api.get_serial_console, 'mks': self._mks_console}[protocol]

    @staticmethod
    def _mks_console(context, instance, console_type):
        # Only VMware serves MKS consoles, and this project has no such driver.
        if not CONF.mks.enabled:
            raise exception.ConsoleTypeUnavailable(console_type=console_type)
        raise NotImplementedError()

    def _console_url(self, req, server_id, protocol, console_type, action):
        """The URL, with every failure as upstream's status code."""
        context, instance = self._authorized(req, server_id, POLICY)
        try:
            if console_type not in PROTOCOL_TYPES[protocol]:
                raise exception.ConsoleTypeInvalid(console_type=console_type)
            return self._handler(protocol)(context, instance, console_type)['url']
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.InstanceNotReady, exception.ComputeServiceUnavailable) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, action, server_id)
        except (exception.ConsoleTypeInvalid, exception.ConsoleTypeUnavailable) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation='The requested functionality is not supported.')

    def _refuse_rdp(self, req, server_id, console_type):
        self._authorized(req, server_id, POLICY)
        raise webob.exc.HTTPBadRequest(
            explanation='Unavailable console type %s.' % console_type)

    # --- 2.6+: one resource for every protocol -------------------------------------

    @wsgi.Controller.api_version('2.6')
    @wsgi.expected_errors((400, 404, 409, 501))
    @validation.schema(schema.create_v26, '2.6', '2.7')
    @validation.schema(schema.create_v28, '2.8', '2.98')
    @validation.schema(schema.create_v299, '2.99')
    def create(self, req, server_id, body):
        protocol = body['remote_console']['protocol']
        console_type = body['remote_console']['type']
        if protocol == 'rdp':
            self._refuse_rdp(req, server_id, protocol)
        url = self._console_url(req, server_id, protocol, console_type, 'create')
        return {'remote_console': {'protocol': protocol, 'type': console_type, 'url': url}}

    # --- before 2.6: one server action per protocol --------------------------------

    def _legacy(self, req, server_id, body, action, protocol):
        console_type = body[action]['type']
        url = self._console_url(req, server_id, protocol, console_type, action)
        return {'console': {'type': console_type, 'url': url}}

    @wsgi.Controller.api_version('2.1', '2.5')
    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('os-getVNCConsole')
    @validation.schema(schema.get_vnc_console)
    def get_vnc_console(self, req, id, body):
        return self._legacy(req, id, body, 'os-getVNCConsole', 'vnc')

    @wsgi.Controller.api_version('2.1', '2.5')
    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('os-getSPICEConsole')
    @validation.schema(schema.get_spice_console)
    def get_spice_console(self, req, id, body):
        return self._legacy(req, id, body, 'os-getSPICEConsole', 'spice')

    @wsgi.Controller.api_version('2.1', '2.5')
    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('os-getSerialConsole')
    @validation.schema(schema.get_serial_console)
    def get_serial_console(self, req, id, body):
        return self._legacy(req, id, body, 'os-getSerialConsole', 'serial')

    @wsgi.Controller.api_version('2.1', '2.5')
    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('os-getRDPConsole')
    @validation.schema(schema.get_rdp_console)
    def get_rdp_console(self, req, id, body):
        """RDP consoles were Hyper-V's, a driver upstream removed: a 400, once the
        caller has shown it may see the server and use its consoles."""
        self._refuse_rdp(req, id, 'rdp-html5')
