import types

from keystoneauth1 import service_token

import nova.conf
from nova import service_auth

CONF = nova.conf.CONF


def test_auth_plugins_are_loaded_once_per_group(monkeypatch):
    loaded = []

    def load(conf, group):
        loaded.append(group)
        return object()
    monkeypatch.setattr(service_auth.ks_loading, 'load_auth_from_conf_options', load)
    service_auth.reset()
    try:
        assert service_auth.auth_of('neutron') is service_auth.auth_of('neutron')
        service_auth.auth_of('cinder')
        assert loaded == ['neutron', 'cinder']
    finally:
        service_auth.reset()


def test_own_calls_carry_the_service_token_only_when_asked(monkeypatch):
    service = object()
    monkeypatch.setattr(service_auth.ks_loading, 'load_auth_from_conf_options',
                        lambda conf, group: object())
    CONF.set_override('send_service_user_token', True, group='service_user')
    service_auth.reset()
    try:
        no_user = types.SimpleNamespace(auth_token=None)
        assert service_auth.user_or_service(no_user, service, admin=False) is service
        wrapped = service_auth.user_or_service(no_user, service, admin=True,
                                               service_token_on_own_calls=True)
        assert isinstance(wrapped, service_token.ServiceTokenAuthWrapper)
    finally:
        CONF.clear_override('send_service_user_token', group='service_user')
        service_auth.reset()
