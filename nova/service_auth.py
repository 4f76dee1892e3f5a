"""keystoneauth plumbing shared by Nova's clients of other services (Glance, Neutron,
Cinder).

One session per option group, and each group's auth plugin loaded once: a plugin
keeps its token until it nears expiry, where loading it per request would log in
to Keystone for every call. ``reset()`` forgets both (tests that change options).
"""

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin as ks_plugin
from keystoneauth1 import service_token
from oslo_config import cfg

import nova.conf

CONF = nova.conf.CONF

_SESSIONS = {}
_AUTH = {}


class UserTokenAuth(ks_plugin.BaseAuthPlugin):
    """Sends the caller's token; finds endpoints in the caller's catalog."""

    def __init__(self, token, catalog, fallback=None):
        super().__init__()
        self._token = token
        self._catalog = catalog or []
        self._fallback = fallback

    def get_token(self, session, **kwargs):
        return self._token

    def get_endpoint(self, session, service_type=None, interface=None, region_name=None,
                     **kwargs):
        url = endpoint_from_catalog(self._catalog, service_type, interface, region_name)
        if url is None and self._fallback is not None:
            url = self._fallback.get_endpoint(session, service_type=service_type,
                                              interface=interface, region_name=region_name,
                                              **kwargs)
        return url


def endpoint_from_catalog(catalog, service_type, interface, region_name):
    """An endpoint URL from a v3 (or v2-style) catalog list, or None."""
    if isinstance(interface, str) or interface is None:
        interfaces = [interface or 'public']
    else:
        interfaces = list(interface)
    interfaces = [i.replace('URL', '') for i in interfaces]
    for service in catalog:
        if service.get('type') != service_type:
            continue
        for wanted in interfaces:
            for endpoint in service.get('endpoints', []):
                region = endpoint.get('region_id') or endpoint.get('region')
                if region_name and region and region != region_name:
                    continue
                if endpoint.get('interface') == wanted and endpoint.get('url'):
                    return endpoint['url']
                if endpoint.get('%sURL' % wanted):  # v2-style catalog entry
                    return endpoint['%sURL' % wanted]
    return None


def uses_keystone():
    try:
        return CONF.api.auth_strategy != 'noauth2'
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
        return True


def reset():
    _SESSIONS.clear()
    _AUTH.clear()


def session(group):
    if group not in _SESSIONS:
        _SESSIONS[group] = ks_loading.load_session_from_conf_options(CONF, group)
    return _SESSIONS[group]


def auth_of(group):
    """The auth plugin of ``[group]`` (None when the group names none), loaded once."""
    if group not in _AUTH:
        try:
            _AUTH[group] = ks_loading.load_auth_from_conf_options(CONF, group)
        except (ks_exc.MissingAuthPlugin, cfg.NoSuchOptError):
            _AUTH[group] = None
    return _AUTH[group]


def with_service_token(auth):
    """``auth`` plus the ``[service_user]`` token when send_service_user_token is set."""
    service = auth_of('service_user') if CONF.service_user.send_service_user_token \
        else None
    if auth is None or service is None:
        return auth
    return service_token.ServiceTokenAuthWrapper(user_auth=auth, service_auth=service)


def user_or_service(context, service, admin, service_token_on_own_calls=False):
    """The request user's token (with the service token) for a user call; the
    ``service`` auth for an admin call or where there is no user token (periodic
    tasks, noauth2), itself with the service token if ``service_token_on_own_calls``."""
    token = getattr(context, 'auth_token', None) if context is not None else None
    if admin or not token or not uses_keystone():
        return with_service_token(service) if service_token_on_own_calls else service
    user = UserTokenAuth(token, getattr(context, 'service_catalog', None),
                                       service)
    return with_service_token(user)
