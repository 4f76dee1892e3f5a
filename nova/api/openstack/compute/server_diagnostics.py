"""``GET /servers/{server_id}/diagnostics``: what the hypervisor reads of a guest.

Administrators only by default. The server's compute host reads the figures
from its virt driver, and only while the guest runs: a server without a host,
on a host that is down, or whose guest is not running is a 409; a driver that
cannot read diagnostics a 501. Before 2.48 the body is the driver's own dict;
from 2.48 the standard fields (see views/server_diagnostics.py).
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.views import server_diagnostics as views
from nova.api.openstack import wsgi
from nova import exception

POLICY = 'os_compute_api:os-server-diagnostics'

# Microversion -> (compute API method, view); the newest version not above the
# request's wins.
_BY_VERSION = (
    ('2.48', 'get_instance_diagnostics', views.standard),
    ('2.1', 'get_diagnostics', views.free_form),
)


class ServerDiagnosticsController(action_base.ServerActionController):

    @wsgi.expected_errors((404, 409, 501))
    def index(self, req, server_id):
        context, instance = self._authorized(req, server_id, POLICY)
        method, view = next((method, view) for version, method, view in _BY_VERSION
                            if req.api_version_request >= version)
        try:
            return view(getattr(self.compute_api, method)(context, instance))
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.InstanceNotReady, exception.ComputeServiceUnavailable) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(
                error, 'get_diagnostics', server_id)
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation='The requested functionality is not supported.')
