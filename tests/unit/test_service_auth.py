"""Keystone plumbing the service clients share: sessions and auth plugins loaded once per
group, the service token, the user's token with endpoints from the user's catalog."""

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


CATALOG = [
    {'type': 'compute', 'endpoints': [{'interface': 'public', 'url': 'http://c'}]},
    {'type': 'image', 'endpoints': [
        {'interface': 'public', 'url': 'http://public:9292', 'region_id': 'RegionOne'},
        {'interface': 'internal', 'url': 'http://internal:9292', 'region_id': 'RegionOne'},
        {'interface': 'internal', 'url': 'http://other:9292', 'region_id': 'RegionTwo'}]},
]


def test_catalog_lookup_prefers_the_configured_interfaces_in_order():
    assert service_auth.endpoint_from_catalog(CATALOG, 'image', ['internal', 'public'],
                                         'RegionOne') == 'http://internal:9292'
    assert service_auth.endpoint_from_catalog(CATALOG, 'image', 'public', None) == \
        'http://public:9292'
    assert service_auth.endpoint_from_catalog(CATALOG, 'image', ['internal'], 'RegionTwo') == \
        'http://other:9292'
    assert service_auth.endpoint_from_catalog(CATALOG, 'volumev3', 'public', None) is None


def test_v2_style_catalog():
    catalog = [{'type': 'image', 'endpoints': [{'publicURL': 'http://v2:9292'}]}]
    assert service_auth.endpoint_from_catalog(catalog, 'image', 'public', None) == 'http://v2:9292'
