"""The Neutron client's transport: paths and queries, answers decoded, Neutron's
error documents kept for the callers, connection failures retried only for
idempotent calls, and which credentials a user or an admin client carries."""

import types

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import service_token
import pytest

import nova.conf
from nova import exception
from nova import service_auth
from nova.network import neutron_client

CONF = nova.conf.CONF


class _Resp(object):
    def __init__(self, status, body=None):
        self.status_code = status
        self._body = body
        self.content = b'' if body is None else b'x'
        self.text = str(body)

    def json(self):
        return self._body


class _Adapter(object):
    endpoint_override = 'http://neutron:9696'

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def request(self, path, method, **kwargs):
        self.calls.append((method, path, kwargs.get('json')))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_lists_and_shows_send_v2_paths_and_filters():
    adapter = _Adapter(_Resp(200, {'ports': [{'id': 'a'}]}), _Resp(200, {'port': {'id': 'a'}}))
    client = neutron_client.Client(adapter)
    assert client.list_ports(device_id='d', fields=['id', 'name']) == [{'id': 'a'}]
    assert client.show_port('a/b') == {'id': 'a'}
    assert adapter.calls[0][1] == '/v2.0/ports?device_id=d&fields=id&fields=name'
    assert adapter.calls[1][1] == '/v2.0/ports/a%2Fb'


def test_port_bindings_paths_and_bodies():
    binding = {'host': 'c2', 'status': 'INACTIVE'}
    adapter = _Adapter(_Resp(200, {'bindings': [binding]}), _Resp(201, {'binding': binding}),
                       _Resp(200, dict(binding, status='ACTIVE')), _Resp(204))
    client = neutron_client.Client(adapter)
    assert client.list_port_bindings('p') == [binding]
    assert client.create_port_binding('p', {'host': 'c2', 'vnic_type': 'normal'}) == binding
    assert client.activate_port_binding('p', 'c2')['status'] == 'ACTIVE'
    assert client.delete_port_binding('p', 'c2') is None
    assert adapter.calls == [
        ('GET', '/v2.0/ports/p/bindings', None),
        ('POST', '/v2.0/ports/p/bindings', {'binding': {'host': 'c2', 'vnic_type': 'normal'}}),
        ('PUT', '/v2.0/ports/p/bindings/c2/activate', None),
        ('DELETE', '/v2.0/ports/p/bindings/c2', None)]


def test_create_and_delete():
    adapter = _Adapter(_Resp(201, {'port': {'id': 'p'}}), _Resp(204))
    client = neutron_client.Client(adapter)
    assert client.create_port({'network_id': 'n'}) == {'id': 'p'}
    assert adapter.calls[0] == ('POST', '/v2.0/ports', {'port': {'network_id': 'n'}})
    assert client.delete_port('p') is None


def test_errors_carry_neutrons_type_and_message():
    adapter = _Adapter(_Resp(409, {'NeutronError': {'type': 'IpAddressInUse',
                                                    'message': 'Unable to complete'}}))
    with pytest.raises(neutron_client.NeutronError) as err:
        neutron_client.Client(adapter).create_port({})
    assert err.value.status_code == 409
    assert err.value.error_type == 'IpAddressInUse'
    assert 'Unable to complete' in err.value.format_message()


def test_connection_failures_are_retried_for_reads_only(monkeypatch):
    monkeypatch.setattr(neutron_client.time, 'sleep', lambda s: None)
    CONF.set_override('http_retries', 1, group='neutron')
    try:
        adapter = _Adapter(ks_exc.ConnectFailure('down'), _Resp(200, {'networks': []}))
        assert neutron_client.Client(adapter).list_networks() == []
        adapter = _Adapter(ks_exc.ConnectFailure('down'))
        with pytest.raises(exception.NeutronConnectionFailed) as err:
            neutron_client.Client(adapter).create_port({})
        assert err.value.code == 503
        assert len(adapter.calls) == 1
    finally:
        CONF.clear_override('http_retries', group='neutron')


def test_is_configured_follows_the_neutron_group():
    assert neutron_client.is_configured() is False
    CONF.set_override('endpoint_override', 'http://127.0.0.1:9696', group='neutron')
    try:
        assert neutron_client.is_configured() is True
    finally:
        CONF.clear_override('endpoint_override', group='neutron')


def test_user_client_sends_the_users_token_with_a_service_token(monkeypatch):
    # The API tests' app (same worker, session-wide) sets [api] auth_strategy to
    # noauth2, under which no user token is sent: this test is about keystone.
    monkeypatch.setattr(service_auth, 'uses_keystone', lambda: True)
    service = object()
    monkeypatch.setattr(neutron_client, '_service_auth', lambda: service)
    user_ctx = types.SimpleNamespace(auth_token='tok', service_catalog=[])
    assert neutron_client._auth_for(user_ctx, admin=True) is service
    assert neutron_client._auth_for(types.SimpleNamespace(auth_token=None), False) is service
    auth = neutron_client._auth_for(user_ctx, admin=False)
    assert auth.get_token(None) == 'tok'
    CONF.set_override('send_service_user_token', True, group='service_user')
    monkeypatch.setattr(neutron_client.ks_loading, 'load_auth_from_conf_options',
                        lambda conf, group: service)
    neutron_client.reset()  # auth plugins are cached: load [service_user] anew
    try:
        wrapped = neutron_client._auth_for(user_ctx, admin=False)
        assert isinstance(wrapped, service_token.ServiceTokenAuthWrapper)
    finally:
        CONF.clear_override('send_service_user_token', group='service_user')
        neutron_client.reset()
