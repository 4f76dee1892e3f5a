"""``/os-networks`` and ``/os-tenant-networks``: the deprecated proxies that
list Neutron's networks for old clients.

Upstream proxies to Neutron up to microversion 2.35 and answers 404 after;
creating, deleting and the association actions were nova-network only and
answer 410 (routed to the removed-resource controller). Networks are those
Neutron shows the caller (the request's token). ``os-networks`` shows a
network in nova-network's shape with only ``id`` and ``label`` known;
``os-tenant-networks`` shows ``id``, ``label`` and ``cidr`` (always the
string ``"None"``, as upstream). Without a network service there are no
networks: empty lists and 404s, never a 500. Clients such as the openstack
CLI use these to resolve ``--network NAME`` when the catalog has no network
service.
"""

import webob.exc

from nova.api.openstack import wsgi
from nova.network import neutron as network_neutron
from nova.network import neutron_client

# nova-network's fields of a network; Neutron knows only the id and the label.
_NETWORK_FIELDS = (
    'bridge', 'bridge_interface', 'broadcast', 'cidr', 'cidr_v6', 'created_at', 'deleted',
    'deleted_at', 'dhcp_server', 'dhcp_start', 'dns1', 'dns2', 'enable_dhcp', 'gateway',
    'gateway_v6', 'host', 'id', 'injected', 'label', 'mtu', 'multi_host', 'netmask',
    'netmask_v6', 'priority', 'project_id', 'rxtx_base', 'share_address', 'updated_at',
    'vlan', 'vpn_private_address', 'vpn_public_address', 'vpn_public_port')


def _network_view(network):
    view = dict.fromkeys(_NETWORK_FIELDS)
    view.update(id=network['id'], label=network.get('name'))
    return view


def _tenant_network_view(network):
    return {'id': network['id'], 'label': network.get('name'), 'cidr': 'None'}


def _networks(context):
    if not network_neutron.is_enabled():
        return []
    return neutron_client.get_client(context).list_networks()


def _network(context, network_id, message):
    """The network the caller may see, or a 404 saying ``message``."""
    if network_neutron.is_enabled():
        try:
            return neutron_client.get_client(context).show_network(network_id)
        except neutron_client.NeutronError as exc:
            if exc.status_code != 404:
                raise
    raise webob.exc.HTTPNotFound(explanation=message)


class NetworkController(wsgi.Controller):

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-networks:list', target={'project_id': context.project_id})
        return {'networks': [_network_view(n) for n in _networks(context)]}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-networks:show', target={'project_id': context.project_id})
        return {'network': _network_view(_network(context, id,
                                                  'Network could not be found.'))}


class TenantNetworkController(wsgi.Controller):
    """``/os-tenant-networks``: the networks the project sees, up to 2.35."""

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-tenant-networks:list',
                    target={'project_id': context.project_id})
        return {'networks': [_tenant_network_view(n) for n in _networks(context)]}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-tenant-networks:show',
                    target={'project_id': context.project_id})
        return {'network': _tenant_network_view(_network(context, id, 'Network not found'))}
