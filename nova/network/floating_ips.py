"""Floating IPs through Neutron, as Nova's deprecated proxies show them.

``os-floating-ips`` and ``os-floating-ip-pools`` (up to 2.35) and the
``addFloatingIp``/``removeFloatingIp`` server actions (up to 2.43) are thin
proxies: a pool is an external network (``router:external``), a floating
IP is Neutron's, shown as ``{id, ip, pool, fixed_ip, instance_id}``.
Requests go with the caller's token, so Neutron applies the caller's
project, quota and policy.  Without a network service there are no pools
and no floating IPs.
"""

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.network import model
from nova.network import neutron as network_neutron
from nova.network import neutron_client

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

EXTERNAL = 'router:external'


def _status(exc):
    return exc.status_code if isinstance(exc, neutron_client.NeutronError) else None


def fixed_ipv4s(network_info):
    return [address for address in model.fixed_ips(network_info) if ':' not in address]


class API(object):
    """The floating IP calls of the compute API, on behalf of a request context."""

    def __init__(self, client_factory=None):
        self._client_factory = client_factory or neutron_client.get_client

    def _client(self, context, admin=False):
        return self._client_factory(context, admin=admin)

    # --- pools ---------------------------------------------------------------------

    def pool_names(self, context):
        """Names (ids when unnamed) of the external networks, the pools."""
        if not network_neutron.is_enabled():
            return []
        nets = self._client(context).list_networks(**{EXTERNAL: True})
        return [net.get('name') or net['id'] for net in nets]

    def _pool_id(self, client, pool):
        nets = client.list_networks(**{EXTERNAL: True, 'name': pool})
        if not nets:
            nets = client.list_networks(**{EXTERNAL: True, 'id': pool})
        if not nets:
            raise exception.FloatingIpPoolNotFound()
        if len(nets) > 1:
            raise exception.FloatingIpBadRequest(
                reason="Multiple floating IP pools matches found for name '%s'" % pool)
        return nets[0]['id']

    # --- reading -------------------------------------------------------------------

    def _shown(self, client, fips):
        """Nova's view of Neutron floating IPs: pool names and servers filled in."""
        net_ids = sorted({f['floating_network_id'] for f in fips})
        names = {n['id']: n.get('name') or n['id']
                 for n in (client.list_networks(id=net_ids) if net_ids else [])}
        port_ids = sorted({f['port_id'] for f in fips if f.get('port_id')})
        devices = {p['id']: p.get('device_id') or None for p in
                   (client.list_ports(id=port_ids, fields=['id', 'device_id'])
                    if port_ids else [])}
        return [{
            'id': fip['id'],
            'ip': fip['floating_ip_address'],
            'pool': names.get(fip['floating_network_id'], fip['floating_network_id']),
            'fixed_ip': fip.get('fixed_ip_address'),
            'instance_id': devices.get(fip.get('port_id')),
        } for fip in fips]

    def list(self, context):
        if not network_neutron.is_enabled():
            return []
        client = self._client(context)
        return self._shown(client, client.list_floatingips(tenant_id=context.project_id))

    def _get_raw(self, client, floating_ip_id):
        try:
            return client.show_floatingip(floating_ip_id)
        except neutron_client.NeutronError as exc:
            if _status(exc) == 404:
                raise exception.FloatingIpNotFound(id=floating_ip_id)
            raise

    def get(self, context, floating_ip_id):
        if not network_neutron.is_enabled():
            raise exception.FloatingIpNotFound(id=floating_ip_id)
        client = self._client(context)
        return self._shown(client, [self._get_raw(client, floating_ip_id)])[0]

    def _by_address(self, client, address):
        fips = client.list_floatingips(floating_ip_address=address)
        if not fips:
            raise exception.FloatingIpNotFoundForAddress(address=address)
        if len(fips) > 1:
            raise exception.FloatingIpMultipleFoundForAddress(address=address)
        return fips[0]

    def instance_of(self, context, address):
        """(Neutron's floating IP at ``address``, the server it maps to or None)."""
        if not network_neutron.is_enabled():
            raise exception.FloatingIpNotFoundForAddress(address=address)
        client = self._client(context)
        fip = self._by_address(client, address)
        return fip, self._shown(client, [fip])[0]['instance_id']

    # --- allocating ----------------------------------------------------------------

    def allocate(self, context, pool=None):
        """A new floating IP of the project from ``pool`` (the default pool)."""
        if not network_neutron.is_enabled():
            raise exception.FloatingIpPoolNotFound()
        client = self._client(context)
        pool = pool or CONF.neutron.default_floating_pool
        body = {'floating_network_id': self._pool_id(client, pool),
                'tenant_id': context.project_id}
        try:
            fip = client.create_floatingip(body)
        except neutron_client.NeutronError as exc:
            if exc.error_type == 'OverQuota':
                raise exception.FloatingIpLimitExceeded()
            if exc.error_type in ('IpAddressGenerationFailure',
                                  'ExternalIpAddressExhausted'):
                raise exception.NoMoreFloatingIps()
            if _status(exc) == 400:
                raise exception.FloatingIpBadRequest(reason=exc.reason)
            raise
        return self._shown(client, [fip])[0]

    def release(self, context, floating_ip_id):
        """Delete the floating IP (an association goes with it)."""
        if not network_neutron.is_enabled():
            raise exception.FloatingIpNotFound(id=floating_ip_id)
        client = self._client(context)
        fip = self._get_raw(client, floating_ip_id)
        try:
            client.delete_floatingip(fip['id'])
        except neutron_client.NeutronError as exc:
            if _status(exc) == 404:
                raise exception.FloatingIpNotFound(id=floating_ip_id)
            raise
        return fip

    # --- servers -------------------------------------------------------------------

    def associate(self, context, instance, address, fixed_address):
        """Point the floating IP at ``address`` to the server's port holding
        ``fixed_address``; the floating IP as Neutron has it before."""
        client = self._client(context)
        fip = self._by_address(client, address)
        admin = self._client(context, admin=True)
        ports = admin.list_ports(device_id=instance.uuid)
        port = next((p for p in ports for f in p.get('fixed_ips') or []
                     if f.get('ip_address') == fixed_address), None)
        if port is None:
            raise exception.FixedIpNotFoundForAddress(address=fixed_address)
        try:
            client.update_floatingip(fip['id'], {'port_id': port['id'],
                                                 'fixed_ip_address': fixed_address})
        except neutron_client.NeutronError as exc:
            if exc.error_type == 'FloatingIPPortAlreadyAssociated':
                raise exception.FloatingIpAssociated(address=address)
            if _status(exc) in (400, 409):
                raise exception.FloatingIpBadRequest(reason=exc.reason)
            raise
        if fip.get('port_id') and fip['port_id'] != port['id']:
            LOG.info('Floating IP %s moved from port %s to server %s', address,
                     fip['port_id'], instance.uuid)
        return fip

    def disassociate(self, context, fip):
        self._client(context).update_floatingip(fip['id'], {'port_id': None})
