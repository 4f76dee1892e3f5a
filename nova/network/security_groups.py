"""Security groups through Neutron, as Nova's deprecated proxies show them.

``os-security-groups``/``os-security-group-rules`` (up to 2.35), the
server's ``os-security-groups`` and the ``addSecurityGroup``/
``removeSecurityGroup`` actions are thin proxies with the caller's token.
A group is shown as ``{id, name, description, tenant_id, rules}`` with its
ingress rules only, each ``{id, parent_group_id, ip_protocol, from_port,
to_port, ip_range: {cidr} | {}, group: {name, tenant_id} | {}}``; a rule
made here is an ingress rule (IPv4 unless its CIDR says IPv6). Adding a
group to a server adds it to every port of the server.
"""

import contextlib

import netaddr
from oslo_utils import uuidutils

from nova import exception
from nova.network import neutron_client

MAX_PROPERTY_LENGTH = 255
_TCP_UDP = ('TCP', 'UDP')


@contextlib.contextmanager
def _refusals(errors):
    """Neutron's refusals as Nova's exceptions, with Neutron's message:
    ``errors`` maps a status, or a (status, Neutron error type) pair that is
    looked up first, to the exception class. Other errors pass through."""
    try:
        yield
    except neutron_client.NeutronError as exc:
        cls = errors.get((exc.status_code, exc.error_type)) or errors.get(exc.status_code)
        if cls is None:
            raise
        raise cls(message=exc.reason)


def validate_id(value):
    if not uuidutils.is_uuid_like(value):
        raise exception.Invalid('Security group id should be uuid')
    return value


def validate_property(value, name):
    """A group's name or description: a string of 1 to 255 characters."""
    try:
        value = value.strip()
    except AttributeError:
        raise exception.Invalid('Security group %s is not a string or unicode' % name)
    if len(value) < 1:
        raise exception.InvalidInput(
            message='%s has a minimum character requirement of 1.' % name)
    if len(value) > MAX_PROPERTY_LENGTH:
        raise exception.InvalidInput(
            message='%s has more than %d characters.' % (name, MAX_PROPERTY_LENGTH))
    return value


def parse_cidr(cidr):
    if not cidr:
        return '0.0.0.0/0'
    try:
        netaddr.IPNetwork(cidr)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise exception.InvalidCidr(cidr=cidr)
    if '/' not in str(cidr):
        raise exception.InvalidCidr(cidr=cidr)
    return cidr


def new_ingress_rule(ip_protocol, from_port, to_port, group_id=None, cidr=None):
    """The rule asked for, checked as upstream checks it; None when a CIDR rule
    lacks its protocol or ports."""
    values = {}
    proto = str(ip_protocol).upper() if ip_protocol else ''
    if group_id:
        values['group_id'] = group_id
        if from_port is None and to_port is None:
            if proto == 'ICMP':
                from_port = to_port = -1
            elif proto in _TCP_UDP:
                from_port, to_port = 1, 65535
    elif cidr:
        values['cidr'] = cidr
    if ip_protocol and from_port is not None and to_port is not None:
        try:
            from_port, to_port = int(from_port), int(to_port)
        except (ValueError, TypeError):
            reason = ('Type and Code must be integers for ICMP protocol type'
                      if proto == 'ICMP' else 'To and From ports must be integers')
            raise exception.InvalidInput(reason=reason)
        if proto not in _TCP_UDP + ('ICMP',):
            raise exception.InvalidIpProtocol(protocol=ip_protocol)
        if proto in _TCP_UDP and from_port > to_port:
            raise exception.InvalidPortRange(
                from_port=from_port, to_port=to_port,
                msg='Former value cannot be greater than the later')
        if proto in _TCP_UDP and (from_port < 1 or to_port > 65535):
            raise exception.InvalidPortRange(
                from_port=from_port, to_port=to_port,
                msg='Valid %s ports should be between 1-65535' % proto)
        if proto == 'ICMP' and not (-1 <= from_port <= 255 and -1 <= to_port <= 255):
            raise exception.InvalidPortRange(
                from_port=from_port, to_port=to_port,
                msg='For ICMP, the type:code must be valid')
        values.update(protocol=str(ip_protocol), from_port=from_port, to_port=to_port)
    elif cidr:
        return None
    return values


def rule_view(rule, groups_by_id=None):
    """A Neutron rule in Nova's shape."""
    proto = rule.get('protocol')
    low, high = rule.get('port_range_min'), rule.get('port_range_max')
    if proto and low is None and high is None:
        low, high = (1, 65535) if str(proto).upper() in _TCP_UDP else (-1, -1)
    view = {'id': rule['id'], 'parent_group_id': rule.get('security_group_id'),
            'ip_protocol': proto, 'from_port': low, 'to_port': high,
            'group': {}, 'ip_range': {}}
    remote = rule.get('remote_group_id')
    if remote:
        source = (groups_by_id or {}).get(remote) or {}
        view['group'] = {'name': source.get('name'),
                         'tenant_id': source.get('project_id') or source.get('tenant_id')}
    else:
        view['ip_range'] = {'cidr': rule.get('remote_ip_prefix') or '0.0.0.0/0'}
    return view


def group_view(group, groups_by_id=None):
    groups_by_id = dict(groups_by_id or {}, **{group['id']: group})
    return {'id': group['id'], 'name': group.get('name'),
            'description': group.get('description'),
            'tenant_id': group.get('project_id') or group.get('tenant_id'),
            'rules': [rule_view(r, groups_by_id)
                      for r in group.get('security_group_rules') or []
                      if r.get('direction') == 'ingress']}


def sorted_views(groups):
    by_id = {g['id']: g for g in groups}
    views = [group_view(g, by_id) for g in groups]
    return sorted(views, key=lambda v: (v['tenant_id'] or '', v['name'] or ''))


class API(object):
    """The security group calls of the compute API, on behalf of a request context."""

    def __init__(self, client_factory=None):
        self._client_factory = client_factory or neutron_client.get_client

    def _client(self, context):
        return self._client_factory(context)

    def list(self, context, all_tenants=False):
        filters = {} if all_tenants else {'project_id': context.project_id}
        return self._client(context).list_security_groups(**filters)

    def get(self, context, group_id):
        with _refusals({404: exception.SecurityGroupNotFound}):
            return self._client(context).show_security_group(group_id)

    def _others(self, context, group):
        """The groups the rules of ``group`` name as their source."""
        ids = sorted({r['remote_group_id'] for r in group.get('security_group_rules') or []
                      if r.get('remote_group_id') and r['remote_group_id'] != group['id']})
        if not ids:
            return {}
        return {g['id']: g for g in self._client(context).list_security_groups(id=ids)}

    def view(self, context, group):
        return group_view(group, self._others(context, group))

    def create(self, context, name, description):
        with _refusals({400: exception.Invalid, 409: exception.SecurityGroupLimitExceeded}):
            return self._client(context).create_security_group(
                {'name': name, 'description': description})

    def update(self, context, group_id, name, description):
        with _refusals({404: exception.SecurityGroupNotFound, 400: exception.Invalid}):
            return self._client(context).update_security_group(
                group_id, {'name': name, 'description': description})

    def delete(self, context, group_id):
        # 409: the group is in use
        with _refusals({404: exception.SecurityGroupNotFound, 409: exception.Invalid}):
            self._client(context).delete_security_group(group_id)

    def create_rule(self, context, rule):
        """Create ``rule`` (``new_ingress_rule``'s dict plus ``parent_group_id``)."""
        body = {'direction': 'ingress', 'protocol': rule.get('protocol'),
                'ethertype': 'IPv4', 'security_group_id': rule['parent_group_id'],
                'remote_ip_prefix': rule.get('cidr'),
                'remote_group_id': rule.get('group_id')}
        if rule.get('cidr'):
            body['ethertype'] = 'IPv%d' % netaddr.IPNetwork(rule['cidr']).version
        if rule.get('from_port') not in (None, -1):
            body['port_range_min'] = rule['from_port']
        if rule.get('to_port') not in (None, -1):
            body['port_range_max'] = rule['to_port']
        with _refusals({404: exception.SecurityGroupNotFound,
                        (409, 'SecurityGroupRuleExists'): exception.Invalid,
                        409: exception.SecurityGroupLimitExceeded, 400: exception.Invalid}):
            return self._client(context).create_security_group_rule(body)

    def delete_rule(self, context, rule_id):
        client = self._client(context)
        with _refusals({404: exception.SecurityGroupNotFound}):
            client.show_security_group_rule(rule_id)
            client.delete_security_group_rule(rule_id)

    # --- a server's groups -------------------------------------------------------------

    def of_instance(self, context, instance):
        """The groups of the server's ports."""
        client = self._client(context)
        ports = client.list_ports(device_id=instance.uuid)
        ids = sorted({g for p in ports for g in p.get('security_groups') or []})
        if not ids:
            return []
        return client.list_security_groups(id=ids)

    def _find(self, client, context, name):
        groups = client.list_security_groups(id=name) if uuidutils.is_uuid_like(name) \
            else []
        if not groups:
            groups = client.list_security_groups(name=name)
        if len(groups) > 1:
            own = [g for g in groups if (g.get('project_id') or g.get('tenant_id'))
                   == context.project_id]
            if len(own) != 1:
                raise exception.NoUniqueMatch(
                    message="Multiple security_group matches found for name '%s', use an "
                            "ID to be more specific." % name)
            groups = own
        if not groups:
            raise exception.SecurityGroupNotFound(
                message='Security group %s is not found for project %s'
                % (name, context.project_id))
        return groups[0]['id']

    def _ports(self, client, instance):
        ports = client.list_ports(device_id=instance.uuid)
        if not ports:
            raise exception.SecurityGroupNotFound(
                message='instance_id %s could not be found as device id on any ports'
                % instance.uuid)
        return ports

    def add_to_instance(self, context, instance, name):
        client = self._client(context)
        group_id = self._find(client, context, name)
        for port in self._ports(client, instance):
            if not port.get('port_security_enabled', True) or not port.get('fixed_ips'):
                raise exception.SecurityGroupCannotBeApplied()
            groups = list(port.get('security_groups') or [])
            if group_id in groups:
                continue
            with _refusals({400: exception.SecurityGroupCannotBeApplied}):
                client.update_port(port['id'], {'security_groups': groups + [group_id]})

    def remove_from_instance(self, context, instance, name):
        client = self._client(context)
        group_id = self._find(client, context, name)
        found = False
        for port in self._ports(client, instance):
            groups = list(port.get('security_groups') or [])
            if group_id not in groups:
                continue
            groups.remove(group_id)
            client.update_port(port['id'], {'security_groups': groups})
            found = True
        if not found:
            raise exception.SecurityGroupNotFound(
                message='Security group %s not associated with the instance %s'
                % (name, instance.uuid))
