"""An in-memory Neutron for unit tests (no daemon can run in the unit tier).

It answers the calls of ``nova.network.neutron_client.Client`` with the
same shapes and errors as Neutron's v2.0 API, for the resources Nova uses.
"""

import copy
import itertools
import uuid

import netaddr

from nova.network import neutron_client


class _Resp(object):
    def __init__(self, status, error_type, message):
        self.status_code = status
        self.text = message
        self._body = {'NeutronError': {'type': error_type, 'message': message,
                                       'detail': ''}}

    def json(self):
        return self._body


def _error(method, path, status, error_type, message):
    return neutron_client.NeutronError(method, path, _Resp(status, error_type, message))


def _matches(item, filters):
    for key, wanted in filters.items():
        if key == 'fields':
            continue
        if key == 'fixed_ips':
            address = wanted.split('=', 1)[1]
            if not any(f['ip_address'] == address for f in item.get('fixed_ips', [])):
                return False
            continue
        value = item.get('project_id' if key == 'tenant_id' else key)
        options = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
        if value not in options:
            return False
    return True


class FakeNeutron(object):
    """State shared by every client a test hands out."""

    def __init__(self, host_bindable=('compute1',)):
        self.networks, self.subnets, self.ports = {}, {}, {}
        self.floatingips, self.security_groups = {}, {}
        self.inactive = {}  # port id -> {host: binding}: bindings other than the port's own
        self.quota = {'port': -1}
        self.extensions = ['dns-integration', 'binding']
        self.host_bindable = set(host_bindable)
        self.calls = []
        self.fail = {}  # method name -> the exception it raises
        self.down = None  # an exception every call raises (Neutron unreachable)
        self._macs = itertools.count(1)

    # --- set-up helpers -----------------------------------------------------------------

    def add_network(self, name, project_id='p1', shared=False, external=False, cidr=None,
                    mtu=1442):
        net = {'id': str(uuid.uuid4()), 'name': name, 'project_id': project_id,
               'tenant_id': project_id, 'shared': shared, 'router:external': external,
               'mtu': mtu, 'subnets': [], 'status': 'ACTIVE',
               'provider:network_type': 'geneve'}
        self.networks[net['id']] = net
        if cidr:
            subnet = {'id': str(uuid.uuid4()), 'network_id': net['id'], 'cidr': cidr,
                      'ip_version': netaddr.IPNetwork(cidr).version,
                      'gateway_ip': str(netaddr.IPNetwork(cidr)[1]), 'enable_dhcp': True,
                      'dns_nameservers': [], 'host_routes': [], 'project_id': project_id}
            self.subnets[subnet['id']] = subnet
            net['subnets'].append(subnet['id'])
        return net

    def add_security_group(self, name, project_id='p1', description=''):
        group = {'id': str(uuid.uuid4()), 'name': name, 'project_id': project_id,
                 'tenant_id': project_id, 'description': description,
                 'security_group_rules': []}
        for ethertype in ('IPv4', 'IPv6'):
            group['security_group_rules'].append(self._rule(
                group['id'], project_id, direction='egress', ethertype=ethertype))
            if name == 'default':  # Neutron's default group: ingress from its members
                group['security_group_rules'].append(self._rule(
                    group['id'], project_id, ethertype=ethertype,
                    remote_group_id=group['id']))
        self.security_groups[group['id']] = group
        return group

    @staticmethod
    def _rule(group_id, project_id, direction='ingress', ethertype='IPv4', protocol=None,
              port_range_min=None, port_range_max=None, remote_ip_prefix=None,
              remote_group_id=None):
        return {'id': str(uuid.uuid4()), 'security_group_id': group_id,
                'project_id': project_id, 'tenant_id': project_id, 'direction': direction,
                'ethertype': ethertype, 'protocol': protocol,
                'port_range_min': port_range_min, 'port_range_max': port_range_max,
                'remote_ip_prefix': remote_ip_prefix, 'remote_group_id': remote_group_id}

    def rule(self, rule_id):
        for group in self.security_groups.values():
            for rule in group['security_group_rules']:
                if rule['id'] == rule_id:
                    return group, rule
        return None, None

    def client(self, context=None, admin=False):
        return _Client(self, admin, getattr(context, 'project_id', None))

    def _next_ip(self, subnet):
        used = {f['ip_address'] for p in self.ports.values() for f in p['fixed_ips']}
        for address in list(netaddr.IPNetwork(subnet['cidr']))[2:-1]:
            if str(address) not in used:
                return str(address)
        raise AssertionError('subnet full')


class _Client(object):
    def __init__(self, neutron, admin, project_id=None):
        self.n = neutron
        self.admin = admin
        self.project_id = project_id

    def _call(self, name, *args):
        self.n.calls.append((name, self.admin) + args)
        failure = self.n.down or self.n.fail.get(name)
        if failure is not None:
            raise failure

    def request(self, method, path, body=None, params=None):
        self._call('request', method, path)
        raise _error(method, path, 404, 'HTTPNotFound', 'not found')

    def list_networks(self, **filters):
        self._call('list_networks', filters)
        return [dict(n) for n in self.n.networks.values() if _matches(n, filters)]

    def show_network(self, network_id):
        self._call('show_network', network_id)
        if network_id not in self.n.networks:
            raise _error('GET', '/networks', 404, 'NetworkNotFound', 'no network')
        return dict(self.n.networks[network_id])

    def list_subnets(self, **filters):
        self._call('list_subnets', filters)
        return [dict(s) for s in self.n.subnets.values() if _matches(s, filters)]

    def list_ports(self, **filters):
        self._call('list_ports', filters)
        return [dict(p) for p in self.n.ports.values() if _matches(p, filters)]

    def show_port(self, port_id):
        self._call('show_port', port_id)
        if port_id not in self.n.ports:
            raise _error('GET', '/ports', 404, 'PortNotFound', 'Port %s could not be found.'
                         % port_id)
        return dict(self.n.ports[port_id])

    def _bind(self, port):
        host = port.get('binding:host_id')
        if not host:
            port['binding:vif_type'] = 'unbound'
            port['binding:vif_details'] = {}
        elif host in self.n.host_bindable:
            port['binding:vif_type'] = 'ovs'
            port['binding:vif_details'] = {'port_filter': True, 'connectivity': 'l2',
                                           'bridge_name': 'br-int',
                                           'datapath_type': 'netdev'}
        else:
            port['binding:vif_type'] = 'binding_failed'
            port['binding:vif_details'] = {}

    def create_port(self, body):
        self._call('create_port', body)
        net = self.n.networks.get(body['network_id'])
        if net is None:
            raise _error('POST', '/ports', 404, 'NetworkNotFound', 'no network')
        port = {'id': str(uuid.uuid4()), 'name': '', 'status': 'DOWN',
                'mac_address': 'fa:16:3e:00:00:%02x' % next(self.n._macs),
                'device_id': '', 'device_owner': '', 'binding:host_id': '',
                'binding:profile': {}, 'binding:vnic_type': 'normal',
                'security_groups': [], 'project_id': net['project_id']}
        port.update(body)
        port['tenant_id'] = port['project_id']
        if 'fixed_ips' in body:
            for fixed in body['fixed_ips']:
                if any(f['ip_address'] == fixed['ip_address'] for p in self.n.ports.values()
                       for f in p['fixed_ips']):
                    raise _error('POST', '/ports', 409, 'IpAddressInUse', 'in use')
                fixed['subnet_id'] = net['subnets'][0]
        else:
            port['fixed_ips'] = [{'subnet_id': sid,
                                  'ip_address': self.n._next_ip(self.n.subnets[sid])}
                                 for sid in net['subnets'][:1]]
        self._bind(port)
        self.n.ports[port['id']] = port
        return dict(port)

    def update_port(self, port_id, body):
        self._call('update_port', port_id, body)
        if port_id not in self.n.ports:
            raise _error('PUT', '/ports', 404, 'PortNotFound', 'no port')
        port = self.n.ports[port_id]
        host = body.get('binding:host_id')
        if host and host in self.n.inactive.get(port_id, {}):
            # Neutron keeps one binding per host: the port's own cannot move onto one.
            raise _error('PUT', '/ports', 409, 'PortBindingAlreadyExists',
                         'Binding for port %s on host %s already exists.' % (port_id, host))
        port.update(body)
        if port.get('binding:host_id') is None:
            port['binding:host_id'] = ''
        self._bind(port)
        return dict(port)

    # --- port bindings (binding-extended) -------------------------------------------------

    def _compute_port(self, method, port_id):
        if 'binding-extended' not in self.n.extensions:
            raise _error(method, '/ports/bindings', 404, 'HTTPNotFound', 'not found')
        port = self.n.ports.get(port_id)
        if port is None:
            raise _error(method, '/ports', 404, 'PortNotFound', 'no port')
        if not port['device_owner'].startswith('compute:'):
            raise _error(method, '/ports', 400, 'BadRequest', 'not a compute port')
        return port

    @staticmethod
    def _binding_of(port, status='ACTIVE'):
        return {'host': port['binding:host_id'], 'status': status,
                'vif_type': port['binding:vif_type'],
                'vif_details': dict(port['binding:vif_details']),
                'vnic_type': port['binding:vnic_type'],
                'profile': dict(port['binding:profile'])}

    def list_port_bindings(self, port_id):
        self._call('list_port_bindings', port_id)
        port = self._compute_port('GET', port_id)
        return [self._binding_of(port)] + [dict(b) for b in
                                           self.n.inactive.get(port_id, {}).values()]

    def create_port_binding(self, port_id, binding):
        self._call('create_port_binding', port_id, binding)
        port = self._compute_port('POST', port_id)
        host = binding['host']
        if host == port['binding:host_id'] or host in self.n.inactive.get(port_id, {}):
            raise _error('POST', '/bindings', 409, 'PortBindingAlreadyExists',
                         'Binding for port %s on host %s already exists.' % (port_id, host))
        if host not in self.n.host_bindable:
            raise _error('POST', '/bindings', 500, 'PortBindingError',
                         'Binding for port %s for host %s could not be created or updated.'
                         % (port_id, host))
        new = dict(port, **{'binding:host_id': host})
        self._bind(new)
        new = self._binding_of(new, status='INACTIVE')
        self.n.inactive.setdefault(port_id, {})[host] = new
        return dict(new)

    def activate_port_binding(self, port_id, host):
        self._call('activate_port_binding', port_id, host)
        port = self._compute_port('PUT', port_id)
        if host == port['binding:host_id']:
            raise _error('PUT', '/bindings', 409, 'PortBindingAlreadyActive',
                         'Binding for port %s on host %s is already active.'
                         % (port_id, host))
        inactive = self.n.inactive.setdefault(port_id, {})
        if host not in inactive:
            raise _error('PUT', '/bindings', 404, 'PortBindingNotFound',
                         'Binding for port %s for host %s could not be found.'
                         % (port_id, host))
        del inactive[host]
        old = self._binding_of(port, status='INACTIVE')
        inactive[old['host']] = old
        port.update({'binding:host_id': host, 'status': 'DOWN'})
        self._bind(port)
        return self._binding_of(port)

    def delete_port_binding(self, port_id, host):
        self._call('delete_port_binding', port_id, host)
        port = self._compute_port('DELETE', port_id)
        if self.n.inactive.get(port_id, {}).pop(host, None) is not None:
            return
        if host != port['binding:host_id']:
            raise _error('DELETE', '/bindings', 404, 'PortBindingNotFound',
                         'Binding for port %s for host %s could not be found.'
                         % (port_id, host))
        port['binding:host_id'] = ''
        self._bind(port)

    def delete_port(self, port_id):
        self._call('delete_port', port_id)
        if self.n.ports.pop(port_id, None) is None:
            raise _error('DELETE', '/ports', 404, 'PortNotFound', 'no port')
        self.n.inactive.pop(port_id, None)

    def list_floatingips(self, **filters):
        self._call('list_floatingips', filters)
        return [dict(f) for f in self.n.floatingips.values() if _matches(f, filters)]

    def show_floatingip(self, floatingip_id):
        self._call('show_floatingip', floatingip_id)
        if floatingip_id not in self.n.floatingips:
            raise _error('GET', '/floatingips', 404, 'FloatingIPNotFound', 'no floating IP')
        return dict(self.n.floatingips[floatingip_id])

    def create_floatingip(self, body):
        self._call('create_floatingip', body)
        net = self.n.networks.get(body['floating_network_id'])
        if net is None or not net.get('router:external'):
            raise _error('POST', '/floatingips', 400, 'BadRequest', 'not external')
        subnet = self.n.subnets[net['subnets'][0]]
        used = {f['floating_ip_address'] for f in self.n.floatingips.values()}
        free = [str(a) for a in list(netaddr.IPNetwork(subnet['cidr']))[2:-1]
                if str(a) not in used]
        if not free:
            raise _error('POST', '/floatingips', 409, 'IpAddressGenerationFailure',
                         'No more IP addresses available on network %s.' % net['id'])
        fip = {'id': str(uuid.uuid4()), 'floating_ip_address': free[0],
               'floating_network_id': net['id'], 'port_id': None, 'fixed_ip_address': None,
               'project_id': body.get('tenant_id'), 'tenant_id': body.get('tenant_id'),
               'status': 'DOWN', 'router_id': None}
        self.n.floatingips[fip['id']] = fip
        return dict(fip)

    def update_floatingip(self, floatingip_id, body):
        self._call('update_floatingip', floatingip_id, body)
        fip = self.n.floatingips.get(floatingip_id)
        if fip is None:
            raise _error('PUT', '/floatingips', 404, 'FloatingIPNotFound', 'no floating IP')
        if body.get('port_id') is None:
            fip.update(port_id=None, fixed_ip_address=None)
        else:
            fip.update(port_id=body['port_id'], fixed_ip_address=body.get('fixed_ip_address'))
        return dict(fip)

    def delete_floatingip(self, floatingip_id):
        self._call('delete_floatingip', floatingip_id)
        if self.n.floatingips.pop(floatingip_id, None) is None:
            raise _error('DELETE', '/floatingips', 404, 'FloatingIPNotFound', 'no fip')

    def list_security_groups(self, **filters):
        self._call('list_security_groups', filters)
        return [copy.deepcopy(g) for g in self.n.security_groups.values()
                if _matches(g, filters)]

    def show_security_group(self, group_id):
        self._call('show_security_group', group_id)
        if group_id not in self.n.security_groups:
            raise _error('GET', '/security-groups', 404, 'SecurityGroupNotFound',
                         'Security group %s does not exist' % group_id)
        return copy.deepcopy(self.n.security_groups[group_id])

    def create_security_group(self, body):
        self._call('create_security_group', body)
        project = body.get('project_id') or self.project_id
        if len([g for g in self.n.security_groups.values() if g['project_id'] == project]) \
                >= self.n.quota.get('security_group', 10):
            raise _error('POST', '/security-groups', 409, 'OverQuota',
                         'Quota exceeded for resources: [\'security_group\'].')
        group = self.n.add_security_group(body['name'], project_id=project,
                                          description=body.get('description', ''))
        return copy.deepcopy(group)

    def update_security_group(self, group_id, body):
        self._call('update_security_group', group_id, body)
        group = self.show_security_group(group_id)
        self.n.security_groups[group_id].update(body)
        group.update(body)
        return group

    def delete_security_group(self, group_id):
        self._call('delete_security_group', group_id)
        self.show_security_group(group_id)
        if any(group_id in (p.get('security_groups') or []) for p in self.n.ports.values()):
            raise _error('DELETE', '/security-groups', 409, 'SecurityGroupInUse',
                         'Security Group %s in use.' % group_id)
        del self.n.security_groups[group_id]

    def show_security_group_rule(self, rule_id):
        self._call('show_security_group_rule', rule_id)
        _group, rule = self.n.rule(rule_id)
        if rule is None:
            raise _error('GET', '/security-group-rules', 404, 'SecurityGroupRuleNotFound',
                         'Security group rule %s does not exist' % rule_id)
        return dict(rule)

    def create_security_group_rule(self, body):
        self._call('create_security_group_rule', body)
        group = self.n.security_groups.get(body['security_group_id'])
        if group is None:
            raise _error('POST', '/security-group-rules', 404, 'SecurityGroupNotFound',
                         'Security group %s does not exist' % body['security_group_id'])
        keys = ('direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max',
                'remote_ip_prefix', 'remote_group_id')
        for rule in group['security_group_rules']:
            if all(rule.get(k) == body.get(k) for k in keys):
                raise _error('POST', '/security-group-rules', 409, 'SecurityGroupRuleExists',
                             'Security group rule already exists. Rule id is %s.'
                             % rule['id'])
        rule = self.n._rule(group['id'], group['project_id'],
                            **{k: body.get(k) for k in keys if k in body})
        group['security_group_rules'].append(rule)
        return dict(rule)

    def delete_security_group_rule(self, rule_id):
        self._call('delete_security_group_rule', rule_id)
        group, rule = self.n.rule(rule_id)
        if rule is None:
            raise _error('DELETE', '/security-group-rules', 404, 'SecurityGroupRuleNotFound',
                         'Security group rule %s does not exist' % rule_id)
        group['security_group_rules'].remove(rule)

    def show_quota(self, project_id):
        self._call('show_quota', project_id)
        return dict(self.n.quota)

    def list_extensions(self):
        self._call('list_extensions')
        return [{'alias': a} for a in self.n.extensions]


def install(monkeypatch, host_bindable=('compute1',)):
    """A FakeNeutron that every ``neutron_client.get_client`` of the test hands out,
    with Neutron reported as configured (the ``neutron`` fixtures of the API,
    compute and network tests)."""
    neutron = FakeNeutron(host_bindable=host_bindable)
    monkeypatch.setattr(neutron_client, 'is_configured', lambda: True)
    monkeypatch.setattr(neutron_client, 'get_client',
                        lambda context, admin=False: neutron.client(context, admin))
    return neutron
