"""The network API: what nova-api and nova-compute ask of Neutron.

Requested networks travel from the REST API to the compute host as Nova
has always carried them here: ``None`` (nothing asked), ``'none'``,
``'auto'`` or a list of ``{'uuid'|'port'[, 'fixed_ip'][, 'tag']}`` dicts.

- ``validate_networks`` (nova-api): networks exist and have subnets, ports
  exist, are free and usable, fixed IPs are free, enough port quota is left
  for the servers asked; returns how many servers the ports allow.
- ``allocate_for_instance`` (nova-compute, before spawn): creates a port per
  requested network (or updates the user's port) with the server as its
  device, ``compute:<az>`` as owner, the security groups and this host as
  binding; returns the network info (``nova.network.model``).
- ``deallocate_for_instance``: deletes the ports Nova created and unbinds
  the ones the user brought, so nothing is left after a delete, a failed
  build or a reschedule.

A server that moves takes its ports along (each a port of Neutron's, found
by its ``device_id``):

- ``migrate_instance_finish``: the ports are bound to the new host
  (``binding:host_id``) where the guest now starts: the destination at the
  end of a resize or cold migration, the source again on a revert, the new
  host of an evacuation or an unshelve;
- ``unbind_ports``: a shelve offload leaves them bound to no host (still the
  server's);
- live migration, with Neutron's ``binding-extended`` extension:
  ``bind_ports_to_host`` gives each port an INACTIVE binding on the
  destination before the guest moves (a host that cannot bind refuses the
  migration before anything else happened); ``activate_port_bindings`` makes
  it the port's binding once the guest runs there and drops the source's,
  now inactive; ``delete_port_bindings`` drops the destination's on a
  rollback. Without the extension the port's host is updated once the guest
  runs on the destination.
"""

import time

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.network import model
from nova.network import neutron_client

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

NETWORKS_NONE = 'none'
NETWORKS_AUTO = 'auto'
DEFAULT_SECGROUP = 'default'
BINDING_HOST = 'binding:host_id'
BINDING_EXTENDED = 'binding-extended'
ACTIVE = 'ACTIVE'
INACTIVE = 'INACTIVE'
_MULTIPLE_PORTS = ('Unable to launch multiple instances with a single configured port ID. '
                   'Please launch your instance one by one with different ports.')
_FIXED_IP_AND_COUNT = 'max_count cannot be greater than 1 if an fixed_ip is specified.'
_MULTIPLE_NETWORKS = 'Multiple possible networks found, use a Network ID to be more specific.'


def is_enabled():
    return neutron_client.is_configured()


def _entries(requested_networks):
    """The list form of a request; [] for None/'none'/'auto'."""
    if isinstance(requested_networks, (list, tuple)):
        return list(requested_networks)
    return []


def _not_found(exc):
    return isinstance(exc, neutron_client.NeutronError) and exc.status_code == 404


def device_owner(instance):
    return 'compute:%s' % (instance.availability_zone or CONF.default_availability_zone)


class API(object):
    """Neutron on behalf of a request context."""

    def __init__(self):
        self._extensions = None
        self._extensions_at = 0.0

    # --- nova-api: validation --------------------------------------------------------

    def get_available_networks(self, context, project_id, net_ids=None, client=None):
        """Networks the project may boot on: the asked ones, or its own and the shared."""
        client = client or neutron_client.get_client(context)
        if net_ids:
            nets = client.list_networks(id=sorted(set(net_ids)))
            found = {n['id'] for n in nets}
            for net_id in net_ids:
                if net_id not in found:
                    raise exception.NetworkNotFound(network_id=net_id)
            return nets
        nets = client.list_networks(tenant_id=project_id, shared=False)
        nets += client.list_networks(shared=True)
        seen, result = set(), []
        for net in nets:
            if net['id'] not in seen:
                seen.add(net['id'])
                result.append(net)
        return result

    def validate_networks(self, context, requested_networks, max_count, min_count=1):
        """Check a boot's networks before anything is recorded; the number of
        servers (at most ``max_count``) the port quota allows."""
        entries = _entries(requested_networks)
        if requested_networks == NETWORKS_NONE:
            return max_count
        client = neutron_client.get_client(context)
        ports_needed = 0
        net_ids = []
        for entry in entries:
            if entry.get('port'):
                if max_count > 1:
                    raise exception.MultiplePortsNotApplicable(reason=_MULTIPLE_PORTS)
                self._check_port(client, entry['port'])
                continue
            ports_needed += 1
            net_ids.append(entry['uuid'])
            if entry.get('fixed_ip'):
                if max_count > 1:
                    raise exception.InvalidFixedIpAndMaxCountRequest(
                        reason=_FIXED_IP_AND_COUNT)
                self._check_fixed_ip(client, entry['uuid'], entry['fixed_ip'])
        if net_ids:
            nets = self.get_available_networks(context, context.project_id, net_ids,
                                               client=client)
            for net in nets:
                if not net.get('subnets'):
                    raise exception.NetworkRequiresSubnet(network_uuid=net['id'])
        elif not entries:
            nets = self.get_available_networks(context, context.project_id, client=client)
            if len(nets) > 1:
                raise exception.NetworkAmbiguous(_MULTIPLE_NETWORKS)
            if nets:
                if not nets[0].get('subnets'):
                    raise exception.NetworkRequiresSubnet(network_uuid=nets[0]['id'])
                ports_needed = 1
            elif requested_networks == NETWORKS_AUTO:
                if not self._can_auto_allocate(client):
                    raise exception.UnableToAutoAllocateNetwork(
                        project_id=context.project_id)
                ports_needed = 1
        if not ports_needed:
            return max_count
        return self._ports_allow(client, context.project_id, ports_needed, min_count,
                                 max_count)

    @staticmethod
    def _check_port(client, port_id, instance_uuid=None):
        try:
            port = client.show_port(port_id)
        except neutron_client.NeutronError as exc:
            if _not_found(exc):
                raise exception.PortNotFound(port_id=port_id)
            raise
        if port.get('device_id') and port['device_id'] != instance_uuid:
            raise exception.PortInUse(port_id=port_id)
        if port.get('binding:vif_type') == model.VIF_TYPE_BINDING_FAILED:
            raise exception.PortBindingFailed(port_id=port_id)
        if not port.get('fixed_ips'):
            raise exception.PortRequiresFixedIP(port_id=port_id)
        return port

    @staticmethod
    def _check_fixed_ip(client, net_id, address):
        ports = client.list_ports(network_id=net_id, fixed_ips='ip_address=%s' % address,
                                  fields=['device_id'])
        if ports:
            raise exception.FixedIpAlreadyInUse(address=address,
                                                instance_uuid=ports[0].get('device_id'))

    @staticmethod
    def _can_auto_allocate(client):
        try:
            aliases = {ext.get('alias') for ext in client.list_extensions()}
        except neutron_client.NeutronError:
            return False
        return 'auto-allocated-topology' in aliases

    @staticmethod
    def _ports_allow(client, project_id, per_instance, min_count, max_count):
        try:
            limit = client.show_quota(project_id).get('port', -1)
        except neutron_client.NeutronError as exc:
            LOG.debug('No port quota from Neutron (%s); not checking it', exc)
            return max_count
        if limit is None or limit < 0:
            return max_count
        used = len(client.list_ports(tenant_id=project_id, fields=['id']))
        free = limit - used
        allowed = min(max_count, max(free, 0) // per_instance)
        if allowed < min_count:
            raise exception.PortLimitExceeded()
        return allowed

    def resolve_security_groups(self, context, names, client=None, project_id=None):
        """Security group names (or ids) of the project as Neutron ids, in order."""
        if not names:
            return []
        client = client or neutron_client.get_client(context)
        project_id = project_id or context.project_id
        groups = client.list_security_groups(fields=['id', 'name', 'project_id',
                                                     'tenant_id'])
        result = []
        for name in names:
            by_id = [g for g in groups if g['id'] == name]
            matches = by_id or [g for g in groups if g.get('name') == name]
            if len(matches) > 1:
                own = [g for g in matches if (g.get('project_id') or g.get('tenant_id'))
                       == project_id]
                matches = own if len(own) == 1 else matches
            if not matches:
                raise exception.SecurityGroupNotFound(security_group_id=name)
            if len(matches) > 1:
                raise exception.NoUniqueMatch()
            result.append(matches[0]['id'])
        return result

    # --- nova-compute: ports of a server ---------------------------------------------

    def _networks_to_allocate(self, context, instance, requested_networks, client):
        """[(entry, network)] for each port Nova must create or update."""
        if requested_networks == NETWORKS_NONE:
            return []
        entries = _entries(requested_networks)
        if not entries:
            nets = self.get_available_networks(context, instance.project_id, client=client)
            if not nets and requested_networks == NETWORKS_AUTO:
                nets = [self._auto_allocate(context, instance, client)]
            if len(nets) > 1:
                raise exception.NetworkAmbiguous(_MULTIPLE_NETWORKS)
            return [({'uuid': net['id']}, net) for net in nets]
        net_ids = [e['uuid'] for e in entries if not e.get('port')]
        nets = {n['id']: n for n in self.get_available_networks(
            context, instance.project_id, net_ids, client=client)} if net_ids else {}
        return [(entry, nets.get(entry.get('uuid'))) for entry in entries]

    @staticmethod
    def _auto_allocate(context, instance, client):
        try:
            topology = client.request('GET', '/auto-allocated-topology/%s'
                                      % instance.project_id)['auto_allocated_topology']
            return client.show_network(topology['id'])
        except (neutron_client.NeutronError, KeyError, TypeError) as exc:
            LOG.info('Auto-allocating a network for %s failed: %s', instance.project_id, exc)
            raise exception.UnableToAutoAllocateNetwork(project_id=instance.project_id)

    @staticmethod
    def _check_external(context, network):
        if network and network.get('router:external') and not network.get('shared') \
                and not context.is_admin:
            raise exception.ExternalNetworkAttachForbidden(network_uuid=network['id'])

    def _has_extension(self, client, alias):
        """Whether Neutron offers an API extension (cached ``extension_sync_interval``)."""
        now = time.monotonic()
        if self._extensions is None or now - self._extensions_at > \
                CONF.neutron.extension_sync_interval:
            try:
                self._extensions = {e.get('alias') for e in client.list_extensions()}
            except neutron_client.NeutronError as exc:
                LOG.debug('Neutron extensions not listed: %s', exc)
                return False
            self._extensions_at = now
        return alias in self._extensions

    def allocate_for_instance(self, context, instance, requested_networks, host,
                              security_groups=None):
        """Create or take over the server's ports, bound to ``host``; its network info.

        Any port created before a failure is deleted again before the error
        is raised, and user ports are handed back unbound.
        """
        client = neutron_client.get_client(context)
        admin = neutron_client.get_client(context, admin=True)
        wanted = self._networks_to_allocate(context, instance, requested_networks, client)
        if not wanted:
            return []
        group_ids = None
        created, updated, ports = [], [], []
        binding = {'device_id': instance.uuid, 'device_owner': device_owner(instance),
                   BINDING_HOST: host}
        if getattr(instance, 'hostname', None) and self._has_extension(admin, 'dns-integration'):
            binding['dns_name'] = instance.hostname
        try:
            for entry, network in wanted:
                if entry.get('port'):
                    port = self._check_port(client, entry['port'], instance.uuid)
                    self._check_external(context, client.show_network(port['network_id']))
                    updated.append(port['id'])
                    ports.append(self._update_port(admin, port['id'], binding))
                    continue
                self._check_external(context, network)
                if group_ids is None:
                    group_ids = self.resolve_security_groups(
                        context, list(security_groups or []) or [DEFAULT_SECGROUP],
                        client=client, project_id=instance.project_id)
                body = dict(binding, network_id=network['id'], project_id=instance.project_id,
                            admin_state_up=True, security_groups=group_ids)
                if entry.get('fixed_ip'):
                    body['fixed_ips'] = [{'ip_address': entry['fixed_ip']}]
                port = self._create_port(admin, body, entry)
                created.append(port['id'])
                ports.append(self._bound(port))
            # The networks are those just listed, and a port made a moment ago has
            # no floating IP yet: two round trips fewer per boot (a user's port may).
            known = {net['id']: net for _, net in wanted if net}
            return self._network_info(client, ports, preserved=set(updated),
                                      networks=known, floatingips=None if updated else [])
        except Exception:
            for port_id in created:
                self._release(admin, port_id, preserve=False, uuid=instance.uuid)
            for port_id in updated:
                self._release(admin, port_id, preserve=True, uuid=instance.uuid)
            raise

    def allocate_port_for_instance(self, context, instance, host, port_id=None,
                                   network_id=None, requested_ip=None):
        """One more port for a running server (interface attach), bound to ``host``:
        the user's ``port_id``, or a new port on ``network_id`` (at ``requested_ip``)
        or on the project's only network. The network info of that port alone."""
        if port_id:
            entry = {'port': port_id}
        elif network_id:
            entry = {'uuid': network_id}
            if requested_ip:
                entry['fixed_ip'] = requested_ip
        else:
            nets = self.get_available_networks(context, instance.project_id)
            if not nets:
                raise exception.InterfaceAttachFailedNoNetwork(
                    project_id=instance.project_id)
            if len(nets) > 1:
                raise exception.NetworkAmbiguous(_MULTIPLE_NETWORKS)
            entry = {'uuid': nets[0]['id']}
        return self.allocate_for_instance(context, instance, [entry], host)

    def deallocate_port_for_instance(self, context, instance, port_id, preserve):
        """Interface detach: unbind the user's port (``preserve``), delete Nova's."""
        admin = neutron_client.get_client(context, admin=True)
        if preserve:
            self._unbind_port(admin, port_id)
        else:
            self._delete_port(admin, port_id)

    def show_port(self, context, port_id):
        """The port as the caller sees it; PortNotFound when Neutron has none."""
        try:
            return neutron_client.get_client(context).show_port(port_id)
        except neutron_client.NeutronError as exc:
            if _not_found(exc):
                raise exception.PortNotFound(port_id=port_id)
            raise

    def _release(self, admin, port_id, preserve, uuid):
        try:
            if preserve:
                self._unbind_port(admin, port_id)
            else:
                self._delete_port(admin, port_id)
        except Exception as exc:
            LOG.warning('Could not release port %s of %s: %s', port_id, uuid, exc)
            return exc
        return None

    @staticmethod
    def _bound(port):
        if port.get('binding:vif_type') == model.VIF_TYPE_BINDING_FAILED:
            raise exception.PortBindingFailed(port_id=port['id'])
        return port

    @staticmethod
    def _create_port(admin, body, entry):
        try:
            return admin.create_port(body)
        except neutron_client.NeutronError as exc:
            if exc.error_type == 'IpAddressInUse':
                raise exception.FixedIpAlreadyInUse(address=entry.get('fixed_ip'),
                                                    instance_uuid='')
            if exc.error_type in ('OverQuota',):
                raise exception.PortLimitExceeded()
            if exc.error_type in ('InvalidIpForNetwork', 'InvalidIpForSubnet'):
                raise exception.FixedIpInvalidOnHost(address=entry.get('fixed_ip'),
                                                     network_id=body['network_id'])
            raise

    def _update_port(self, admin, port_id, values):
        return self._bound(admin.update_port(port_id, values))

    @staticmethod
    def _delete_port(admin, port_id):
        try:
            admin.delete_port(port_id)
        except neutron_client.NeutronError as exc:
            if not _not_found(exc):
                raise

    @staticmethod
    def _unbind_port(admin, port_id):
        try:
            admin.update_port(port_id, {'device_id': '', 'device_owner': '',
                                        BINDING_HOST: None, 'binding:profile': {},
                                        'dns_name': ''})
        except neutron_client.NeutronError as exc:
            if _not_found(exc):
                return
            if exc.status_code == 400:
                # A Neutron without the DNS extension refuses dns_name.
                admin.update_port(port_id, {'device_id': '', 'device_owner': '',
                                            BINDING_HOST: None, 'binding:profile': {}})
                return
            raise

    def _network_info(self, client, ports, preserved=(), networks=None, floatingips=None):
        """The network info of ``ports``; ``networks`` ({id: network}) and
        ``floatingips`` given are not asked of Neutron again."""
        if not ports:
            return []
        known = dict(networks or {})
        net_ids = sorted({p['network_id'] for p in ports} - set(known))
        subnet_ids = sorted({f['subnet_id'] for p in ports for f in p.get('fixed_ips') or []})
        networks = list(known.values()) + (client.list_networks(id=net_ids) if net_ids else [])
        subnets = client.list_subnets(id=subnet_ids) if subnet_ids else []
        if floatingips is None:
            floatingips = client.list_floatingips(port_id=[p['id'] for p in ports])
        return model.build_network_info(ports, networks, subnets, floatingips, preserved)

    def get_instance_nw_info(self, context, instance, preserved=()):
        """The server's network info as Neutron has it now (for the info cache)."""
        client = neutron_client.get_client(context, admin=True)
        ports = client.list_ports(device_id=instance.uuid)
        cached = []
        if instance.obj_attr_is_set('info_cache') and instance.info_cache is not None:
            cached = instance.info_cache.network_info or []
        order = [vif['id'] for vif in cached]
        ports.sort(key=lambda p: (order.index(p['id']) if p['id'] in order else len(order),
                                  p.get('created_at') or ''))
        preserved = set(preserved) | model.preserved_port_ids(cached)
        return self._network_info(client, ports, preserved)

    def deallocate_for_instance(self, context, instance, network_info=None,
                                requested_networks=None):
        """Delete the ports Nova made for the server, unbind the user's own."""
        admin = neutron_client.get_client(context, admin=True)
        preserved = model.preserved_port_ids(network_info)
        preserved |= {e['port'] for e in _entries(requested_networks) if e.get('port')}
        ports = admin.list_ports(device_id=instance.uuid, fields=['id'])
        port_ids = {p['id'] for p in ports} | {vif['id'] for vif in network_info or []}
        errors = [self._release(admin, port_id, port_id in preserved, instance.uuid)
                  for port_id in sorted(port_ids)]
        errors = [e for e in errors if e is not None]
        if errors:
            raise errors[0]

    # --- moves: the ports follow the guest -------------------------------------------

    def has_port_binding_extension(self, context):
        """Whether Neutron keeps several bindings per port (``binding-extended``)."""
        return self._has_extension(neutron_client.get_client(context, admin=True),
                                   BINDING_EXTENDED)

    @staticmethod
    def _ports_of(admin, instance):
        return admin.list_ports(device_id=instance.uuid)

    @staticmethod
    def _bindings(admin, port_id):
        """{host: binding} of the port."""
        return {b.get('host'): b for b in admin.list_port_bindings(port_id)}

    def _drop_inactive_binding(self, admin, port_id, host, bindings=None):
        """Delete the port's binding on ``host`` if it is an inactive one; True if it was."""
        if bindings is None:
            try:
                bindings = self._bindings(admin, port_id)
            except neutron_client.NeutronError as exc:
                if _not_found(exc):
                    return False
                raise
        binding = bindings.get(host)
        if binding is None or binding.get('status') != INACTIVE:
            return False
        try:
            admin.delete_port_binding(port_id, host)
        except neutron_client.NeutronError as exc:
            if not _not_found(exc):
                raise
        return True

    def migrate_instance_finish(self, context, instance, host):
        """Bind the server's ports to ``host`` (the guest starts there now).

        A port already bound there is left alone. An inactive binding that host
        still holds from an earlier live migration goes first (Neutron keeps one
        binding per host). A host Neutron cannot bind raises PortBindingFailed.
        """
        admin = neutron_client.get_client(context, admin=True)
        extended = self._has_extension(admin, BINDING_EXTENDED)
        owner = device_owner(instance)
        for port in self._ports_of(admin, instance):
            values = {}
            if port.get(BINDING_HOST) != host:
                values[BINDING_HOST] = host
            if (port.get('device_owner') or '').startswith('compute:') and \
                    port['device_owner'] != owner:
                values['device_owner'] = owner
            if not values:
                continue
            if extended and BINDING_HOST in values:
                self._drop_inactive_binding(admin, port['id'], host)
            LOG.debug('Port %s of %s: %s', port['id'], instance.uuid, values)
            self._update_port(admin, port['id'], values)

    def unbind_ports(self, context, instance):
        """A shelve offload: the server's ports stay its own, bound to no host."""
        admin = neutron_client.get_client(context, admin=True)
        for port in self._ports_of(admin, instance):
            if port.get(BINDING_HOST):
                admin.update_port(port['id'], {BINDING_HOST: None})

    def bind_ports_to_host(self, context, instance, host):
        """An INACTIVE binding on ``host`` for each of the server's ports (before a
        live migration there); the ids of the ports so bound, [] without the
        ``binding-extended`` extension. All or nothing: when one port cannot be
        bound there, the bindings made are deleted and PortBindingFailed raised.
        """
        admin = neutron_client.get_client(context, admin=True)
        if not self._has_extension(admin, BINDING_EXTENDED):
            return []
        made = []
        try:
            for port in self._ports_of(admin, instance):
                if port.get(BINDING_HOST) == host:
                    continue
                # A binding left there by an earlier migration that was not undone.
                self._drop_inactive_binding(admin, port['id'], host)
                binding = {'host': host,
                           'vnic_type': port.get('binding:vnic_type') or 'normal',
                           'profile': dict(port.get('binding:profile') or {})}
                try:
                    admin.create_port_binding(port['id'], binding)
                except neutron_client.NeutronError as exc:
                    LOG.warning('Port %s of %s cannot be bound to %s: %s', port['id'],
                                instance.uuid, host, exc)
                    raise exception.PortBindingFailed(port_id=port['id']) from exc
                made.append(port['id'])
        except Exception:
            for port_id in made:
                try:
                    admin.delete_port_binding(port_id, host)
                except Exception as exc:
                    LOG.warning('Could not delete the binding of port %s on %s: %s',
                                port_id, host, exc)
            raise
        return made

    def activate_port_bindings(self, context, instance, host, source_host=None):
        """The guest of a live migration runs on ``host`` now: its binding there
        becomes each port's binding, and the source's (inactive after that) is
        deleted. A port with no binding on ``host`` (no extension, or a migration
        started without one) gets ``host`` as its ``binding:host_id``."""
        admin = neutron_client.get_client(context, admin=True)
        extended = self._has_extension(admin, BINDING_EXTENDED)
        for port in self._ports_of(admin, instance):
            bindings = self._bindings(admin, port['id']) if extended else {}
            binding = bindings.get(host)
            if binding is None:
                if port.get(BINDING_HOST) != host:
                    self._update_port(admin, port['id'], {BINDING_HOST: host})
                continue
            if binding.get('status') == INACTIVE:
                try:
                    admin.activate_port_binding(port['id'], host)
                except neutron_client.NeutronError as exc:
                    if exc.status_code != 409:  # 409: already active (a retried PUT)
                        raise
                bindings = None  # the source's binding is inactive now: read again
            if source_host and source_host != host:
                self._drop_inactive_binding(admin, port['id'], source_host, bindings)

    def delete_port_bindings(self, context, instance, host):
        """A live migration rolled back: the inactive bindings on ``host`` go (the
        active one, wherever it is, stays)."""
        admin = neutron_client.get_client(context, admin=True)
        if not self._has_extension(admin, BINDING_EXTENDED):
            return
        for port in self._ports_of(admin, instance):
            if port.get(BINDING_HOST) != host:
                self._drop_inactive_binding(admin, port['id'], host)
