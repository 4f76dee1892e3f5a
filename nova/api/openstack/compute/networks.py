"""``/os-networks``: the deprecated proxy that lists networks for old clients.

Upstream proxies to Neutron up to microversion 2.35 and answers 404 after.
This project has no Neutron client yet, so the proxy knows no networks: the
list is empty and any network id is not found (never a 500). Clients such as
the openstack CLI use it to resolve ``--network NAME`` when the catalog has no
network service.
"""

import webob.exc

from nova.api.openstack import wsgi


class NetworkController(wsgi.Controller):

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-networks:list', target={'project_id': context.project_id})
        return {'networks': []}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-networks:show', target={'project_id': context.project_id})
        raise webob.exc.HTTPNotFound(explanation='Network could not be found.')


class TenantNetworkController(wsgi.Controller):
    """``/os-tenant-networks``: the project's networks, the same empty proxy up to 2.35.

    Creating and deleting were nova-network only; upstream answers 410 for them
    (routed to the removed-resource controller)."""

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-tenant-networks:list',
                    target={'project_id': context.project_id})
        return {'networks': []}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-tenant-networks:show',
                    target={'project_id': context.project_id})
        raise webob.exc.HTTPNotFound(explanation='Network not found')
