"""Nova's HTTP client of the Networking service (Neutron's v2.0 REST API).

Requests go through a keystoneauth adapter built from the ``[neutron]``
options (session: ``timeout``, ``cafile``...; adapter: ``endpoint_override``,
``valid_interfaces``, ``region_name``...; auth plugin: ``auth_type``,
``auth_url``, ``username``...). Who Neutron sees as the caller:

- a *user* client sends the request's own token (so Neutron applies the
  user's project, quotas and policies), looking its endpoint up in the
  token's catalog or, failing that, through the ``[neutron]`` service user;
  with ``[service_user] send_service_user_token`` the service user's token
  goes along as ``X-Service-Token``;
- an *admin* client authenticates as the ``[neutron]`` service user, for
  what only the service may do (port bindings, other projects' ports).

Without a user token (``noauth2`` clouds, periodic tasks) a user client is
the admin client.
"""

import time
import urllib.parse

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import service_auth

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
GROUP = 'neutron'
_IDEMPOTENT = ('GET', 'PUT', 'DELETE', 'HEAD')

def is_configured():
    """True when ``[neutron]`` names a service user or an endpoint to reach.

    A cloud without a Networking service leaves the group empty; Nova then
    boots servers without ports, as it did before Neutron was wired in.
    """
    try:
        group = CONF.neutron
        return bool(group.auth_type or group.endpoint_override)
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
        return False


def reset():
    """Forget the cached session and auth plugins (tests that change ``[neutron]``)."""
    service_auth.reset()


def _session():
    return service_auth.session(GROUP)


def _service_auth():
    return service_auth.auth_of(GROUP)


def _auth_for(context, admin):
    return service_auth.user_or_service(context, _service_auth(), admin)


def get_client(context, admin=False):
    """A client acting as the request's user, or as the service when ``admin``."""
    adapter = ks_loading.load_adapter_from_conf_options(
        CONF, GROUP, session=_session(), auth=_auth_for(context, admin))
    return Client(adapter)


def _quote(value):
    return urllib.parse.quote(str(value), safe='')


class Client(object):
    """The few Neutron resources Nova uses, as plain dicts."""

    def __init__(self, adapter):
        self.adapter = adapter

    # --- transport ---------------------------------------------------------------------

    def _server(self):
        try:
            return self.adapter.endpoint_override or self.adapter.get_endpoint() or 'neutron'
        except ks_exc.ClientException:
            return 'neutron'

    def request(self, method, path, body=None, params=None):
        """One call; the decoded JSON answer (None for 204). Maps errors to Nova's."""
        attempts = 1 + (max(0, CONF.neutron.http_retries) if method in _IDEMPOTENT else 0)
        kwargs = {'raise_exc': False, 'headers': {'Accept': 'application/json'}}
        if body is not None:
            kwargs['json'] = body
        if params:
            path = '%s?%s' % (path, urllib.parse.urlencode(params, doseq=True))
        for attempt in range(1, attempts + 1):
            try:
                resp = self.adapter.request('/v2.0' + path, method, **kwargs)
                break
            except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout, ks_exc.EndpointNotFound,
                    ks_exc.DiscoveryFailure, ks_exc.RequestTimeout) as exc:
                if attempt == attempts or isinstance(exc, ks_exc.EndpointNotFound):
                    raise exception.NeutronConnectionFailed(
                        reason='%s: %s' % (self._server(), exc)) from exc
                LOG.warning('Neutron did not answer %s %s (attempt %d of %d): %s',
                            method, path, attempt, attempts, exc)
                time.sleep(min(attempt, 3))
            except ks_exc.Unauthorized as exc:
                raise exception.Forbidden() from exc
        if resp.status_code == 204 or not resp.content:
            if resp.status_code < 400:
                return None
        if resp.status_code < 400:
            return resp.json()
        raise NeutronError(method, path, resp)

    # --- resources -----------------------------------------------------------------------

    def _list(self, collection, filters):
        return self.request('GET', '/%s' % collection, params=filters or None)[collection]

    def list_networks(self, **filters):
        return self._list('networks', filters)

    def show_network(self, network_id):
        return self.request('GET', '/networks/%s' % _quote(network_id))['network']

    def list_subnets(self, **filters):
        return self._list('subnets', filters)

    def list_ports(self, **filters):
        return self._list('ports', filters)

    def show_port(self, port_id):
        return self.request('GET', '/ports/%s' % _quote(port_id))['port']

    def create_port(self, port):
        return self.request('POST', '/ports', body={'port': port})['port']

    def update_port(self, port_id, port):
        return self.request('PUT', '/ports/%s' % _quote(port_id), body={'port': port})['port']

    def delete_port(self, port_id):
        self.request('DELETE', '/ports/%s' % _quote(port_id))

    # Port bindings (the ``binding-extended`` extension): one binding per host,
    # one of them ACTIVE (the port's ``binding:host_id``), the others INACTIVE.

    def list_port_bindings(self, port_id):
        return self.request('GET', '/ports/%s/bindings' % _quote(port_id))['bindings']

    def create_port_binding(self, port_id, binding):
        return self.request('POST', '/ports/%s/bindings' % _quote(port_id),
                            body={'binding': binding})['binding']

    def activate_port_binding(self, port_id, host):
        # A member action: Neutron answers the binding itself, not wrapped.
        answer = self.request('PUT', '/ports/%s/bindings/%s/activate'
                              % (_quote(port_id), _quote(host))) or {}
        return answer.get('binding', answer)

    def delete_port_binding(self, port_id, host):
        self.request('DELETE', '/ports/%s/bindings/%s' % (_quote(port_id), _quote(host)))

    def list_floatingips(self, **filters):
        return self._list('floatingips', filters)

    def show_floatingip(self, floatingip_id):
        return self.request('GET', '/floatingips/%s' % _quote(floatingip_id))['floatingip']

    def create_floatingip(self, floatingip):
        return self.request('POST', '/floatingips',
                            body={'floatingip': floatingip})['floatingip']

    def update_floatingip(self, floatingip_id, floatingip):
        return self.request('PUT', '/floatingips/%s' % _quote(floatingip_id),
                            body={'floatingip': floatingip})['floatingip']

    def delete_floatingip(self, floatingip_id):
        self.request('DELETE', '/floatingips/%s' % _quote(floatingip_id))

    def list_security_groups(self, **filters):
        return self.request('GET', '/security-groups',
                            params=filters or None)['security_groups']

    def show_security_group(self, group_id):
        return self.request('GET', '/security-groups/%s' % _quote(group_id))['security_group']

    def create_security_group(self, group):
        return self.request('POST', '/security-groups',
                            body={'security_group': group})['security_group']

    def update_security_group(self, group_id, group):
        return self.request('PUT', '/security-groups/%s' % _quote(group_id),
                            body={'security_group': group})['security_group']

    def delete_security_group(self, group_id):
        self.request('DELETE', '/security-groups/%s' % _quote(group_id))

    def show_security_group_rule(self, rule_id):
        return self.request('GET', '/security-group-rules/%s'
                            % _quote(rule_id))['security_group_rule']

    def create_security_group_rule(self, rule):
        return self.request('POST', '/security-group-rules',
                            body={'security_group_rule': rule})['security_group_rule']

    def delete_security_group_rule(self, rule_id):
        self.request('DELETE', '/security-group-rules/%s' % _quote(rule_id))

    def show_quota(self, project_id):
        return self.request('GET', '/quotas/%s' % _quote(project_id))['quota']

    def list_extensions(self):
        return self._list('extensions', None)


class NeutronError(exception.NeutronClientError):
    """An error answer; ``status_code`` and Neutron's ``type`` kept for callers."""

    def __init__(self, method, path, resp):
        self.status_code = resp.status_code
        self.error_type = None
        reason = (resp.text or '')[:300]
        try:
            error = resp.json().get('NeutronError') or {}
            if isinstance(error, dict):
                self.error_type = error.get('type')
                reason = error.get('message') or reason
            elif error:
                reason = str(error)
        except (ValueError, AttributeError):
            pass
        self.reason = reason
        super().__init__(method=method, path=path, status=resp.status_code, reason=reason)
