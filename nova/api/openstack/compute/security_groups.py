"""Security groups: the deprecated proxies to Neutron and the server's groups.

- ``/os-security-groups`` (list, show, create, update, delete) and
  ``/os-security-group-rules`` (create, delete) answer up to 2.35, 404 after;
- ``GET /servers/{id}/os-security-groups`` and the ``addSecurityGroup``/
  ``removeSecurityGroup`` actions answer at every microversion.

Without a network service there are no groups: lists are empty, a group
is not found and changes answer 501 (upstream's "not supported").
"""

from oslo_utils import strutils
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute import action_base
from nova.api.openstack import wsgi
from nova import exception
from nova.network import neutron as network_neutron
from nova.network import security_groups as sg_api

_POLICY = 'os_compute_api:os-security-groups:%s'


def _api():
    return sg_api.API()


def _context(req, rule):
    context = req.environ['nova.context']
    context.can(_POLICY % rule, target={'project_id': context.project_id})
    return context


def _from_body(body, key):
    if not body:
        raise webob.exc.HTTPBadRequest(explanation="The request body can't be empty")
    value = body.get(key) if isinstance(body, dict) else None
    if value is None:
        raise webob.exc.HTTPBadRequest(explanation='Missing parameter %s' % key)
    return value


def _require_network():
    if not network_neutron.is_enabled():
        raise webob.exc.HTTPNotImplemented(
            explanation='Network driver does not support this function.')


def _errors(func):
    """Neutron's and the checks' refusals as upstream's faults."""
    def wrapped(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except exception.SecurityGroupNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.SecurityGroupLimitExceeded as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except exception.NoUniqueMatch as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.Invalid as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except exception.NeutronConnectionFailed as error:
            raise webob.exc.HTTPServiceUnavailable(explanation=error.format_message())
    wrapped.__name__ = func.__name__
    wrapped.__doc__ = func.__doc__
    return wrapped


def _name_and_description(body):
    group = _from_body(body, 'security_group')
    return (sg_api.validate_property(group.get('name'), 'name'),
            sg_api.validate_property(group.get('description'), 'description'))


class SecurityGroupController(wsgi.Controller):
    """``/os-security-groups``: the project's groups with their ingress rules."""

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 404))
    def index(self, req):
        context = _context(req, 'get')
        if not network_neutron.is_enabled():
            return {'security_groups': []}
        all_tenants = context.is_admin and 'all_tenants' in req.GET and \
            strutils.bool_from_string(req.GET['all_tenants'] or 'true', default=True)
        groups = _api().list(context, all_tenants=all_tenants)
        return {'security_groups': common.limited(sg_api.sorted_views(groups), req)}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 404))
    @_errors
    def show(self, req, id):
        context = _context(req, 'show')
        sg_api.validate_id(id)
        if not network_neutron.is_enabled():
            raise exception.SecurityGroupNotFound(security_group_id=id)
        api = _api()
        return {'security_group': api.view(context, api.get(context, id))}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 403, 501, 503))
    @_errors
    def create(self, req, body):
        context = _context(req, 'create')
        name, description = _name_and_description(body)
        _require_network()
        api = _api()
        return {'security_group': api.view(context, api.create(context, name, description))}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 404, 501, 503))
    @_errors
    def update(self, req, id, body):
        context = _context(req, 'update')
        sg_api.validate_id(id)
        name, description = _name_and_description(body)
        _require_network()
        api = _api()
        api.get(context, id)
        group = api.update(context, id, name, description)
        return {'security_group': api.view(context, group)}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 501, 503))
    @_errors
    def delete(self, req, id):
        context = _context(req, 'delete')
        sg_api.validate_id(id)
        _require_network()
        _api().delete(context, id)


class SecurityGroupRulesController(wsgi.Controller):
    """``/os-security-group-rules``: ingress rules of a group."""

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 403, 404, 501, 503))
    @_errors
    def create(self, req, body):
        context = _context(req, 'rule:create')
        rule = _from_body(body, 'security_group_rule')
        _require_network()
        api = _api()
        parent_id = sg_api.validate_id(rule.get('parent_group_id'))
        parent = api.get(context, parent_id)
        group_id, cidr, source = rule.get('group_id'), None, {}
        if group_id is not None:
            group_id = sg_api.validate_id(group_id)
            source = api.get(context, group_id)
        else:
            cidr = sg_api.parse_cidr(rule.get('cidr'))
        new_rule = sg_api.new_ingress_rule(rule.get('ip_protocol'), rule.get('from_port'),
                                           rule.get('to_port'), group_id=group_id, cidr=cidr)
        if new_rule is None:
            raise webob.exc.HTTPBadRequest(
                explanation='Not enough parameters to build a valid rule.')
        new_rule['parent_group_id'] = parent['id']
        if new_rule.get('cidr'):
            net, prefix = str(new_rule['cidr']).split('/', 1)
            if net not in ('0.0.0.0', '::') and prefix == '0':
                raise webob.exc.HTTPBadRequest(
                    explanation='Bad prefix for network in cidr %s' % new_rule['cidr'])
        created = api.create_rule(context, new_rule)
        groups = {source['id']: source} if source else {}
        return {'security_group_rule': sg_api.rule_view(created, groups)}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409, 501, 503))
    @_errors
    def delete(self, req, id):
        context = _context(req, 'rule:delete')
        sg_api.validate_id(id)
        _require_network()
        _api().delete_rule(context, id)


class ServerSecurityGroupController(wsgi.Controller):
    """``GET /servers/{server_id}/os-security-groups``: the groups of its ports."""

    @wsgi.expected_errors((404, 503))
    @_errors
    def index(self, req, server_id):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        context.can(_POLICY % 'list', target={'project_id': instance.project_id})
        if not network_neutron.is_enabled():
            return {'security_groups': []}
        return {'security_groups': sg_api.sorted_views(_api().of_instance(context, instance))}


def _group_name(body, action):
    try:
        name = body[action]['name']
    except TypeError:
        raise webob.exc.HTTPBadRequest(explanation='Missing parameter dict')
    except KeyError:
        raise webob.exc.HTTPBadRequest(explanation='Security group not specified')
    if not name or not isinstance(name, str) or not name.strip():
        raise webob.exc.HTTPBadRequest(explanation='Security group name cannot be empty')
    return name


class SecurityGroupActionController(action_base.ServerActionController):
    """``addSecurityGroup`` and ``removeSecurityGroup``."""

    def _change(self, req, id, body, action, rule, change):
        context, instance = self._authorized(req, id, _POLICY % rule)
        name = _group_name(body, action)
        _require_network()
        try:
            change(context, instance, name)
        except exception.SecurityGroupNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.NoUniqueMatch as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.SecurityGroupCannotBeApplied as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('addSecurityGroup')
    def _add_security_group(self, req, id, body):
        self._change(req, id, body, 'addSecurityGroup', 'add', _api().add_to_instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409, 501))
    @wsgi.action('removeSecurityGroup')
    def _remove_security_group(self, req, id, body):
        self._change(req, id, body, 'removeSecurityGroup', 'remove',
                     _api().remove_from_instance)
