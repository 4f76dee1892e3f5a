"""``/servers/{id}/ips``: a server's addresses by network label, from its info cache."""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.views import servers as views_servers
from nova.api.openstack import wsgi

_POLICY = 'os_compute_api:ips:%s'


def _networks(instance):
    """{label: [{version, addr}]}: the server view's addresses without the extensions."""
    addresses = views_servers.ViewBuilder._addresses(instance)
    return {label: [{'version': ip['version'], 'addr': ip['addr']} for ip in ips]
            for label, ips in addresses.items()}


class IPsController(wsgi.Controller):

    def _server(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id,
                                                expected_attrs=['info_cache'])
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return instance

    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        return {'addresses': _networks(self._server(req, server_id, 'index'))}

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        networks = _networks(self._server(req, server_id, 'show'))
        if id not in networks:
            raise webob.exc.HTTPNotFound(
                explanation='Instance is not a member of specified network')
        return {id: networks[id]}
