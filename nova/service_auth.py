"""keystoneauth plumbing shared by Nova's clients of other services (Neutron, Cinder).

One session per option group, and each group's auth plugin loaded once: a plugin
keeps its token until it nears expiry, where loading it per request would log in
to Keystone for every call. ``reset()`` forgets both (tests that change options).
"""

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import service_token
from oslo_config import cfg

import nova.conf
from nova.image import glance as _glance_auth

CONF = nova.conf.CONF

_SESSIONS = {}
_AUTH = {}


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
    if admin or not token or not _glance_auth._uses_keystone():
        return with_service_token(service) if service_token_on_own_calls else service
    user = _glance_auth._UserTokenAuth(token, getattr(context, 'service_catalog', None),
                                       service)
    return with_service_token(user)
