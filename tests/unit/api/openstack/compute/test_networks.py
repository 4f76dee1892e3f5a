"""The network proxies (``/os-networks``, ``/os-tenant-networks``): Neutron's
networks in nova-network's shapes, no networks without a network service, said
cleanly; gone from 2.36. Neutron is the in-memory one of the network tests."""

import pytest

from tests.unit.api.conftest import Client
from tests.unit.api.conftest import sample
from tests.unit.api.legacy_cloud import _as
from tests.unit.api.legacy_cloud import _fault
from tests.unit.api.legacy_cloud import cloud  # noqa: F401
from tests.unit.network import fake_neutron


def test_list_is_empty_and_show_is_404(paste_app, dbs):
    client = Client(paste_app, token='demo:demo')
    resp = client.get('/os-networks')
    assert resp.status_int == 200 and resp.json_body_or_none == {'networks': []}
    resp = client.get('/os-networks/none')
    assert resp.status_int == 404 and 'itemNotFound' in resp.json_body_or_none
    assert client.get('/os-networks', version='2.36').status_int == 404


def test_networks_list_stays_a_proxy_until_2_35(cloud):  # noqa: F811
    client, _ids = cloud
    for path in ('/os-networks', '/os-tenant-networks'):
        res = _as(client, 'member', 'GET', path, version='2.35')
        assert res.status_int == 200 and res.json_body_or_none == {'networks': []}
        _fault(_as(client, 'member', 'GET', path, version='2.36'), 404)
    _fault(_as(client, 'member', 'GET', '/os-tenant-networks/n1'), 404)


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.install(monkeypatch)
    n.private = n.add_network('private', cidr='10.0.0.0/26')
    return n


def test_with_neutron_the_proxies_show_its_networks(paste_app, dbs, neutron):
    client = Client(paste_app, token='demo:demo')
    listed = client.get('/os-networks').json_body_or_none['networks']
    assert listed == [sample('os-networks/network-show-resp.json')['network'] | {
        'id': neutron.private['id'], 'label': 'private'}]
    shown = client.get('/os-networks/%s' % neutron.private['id']).json_body_or_none
    assert shown == {'network': listed[0]}
    assert client.get('/os-networks/nope').status_int == 404
    tenant = client.get('/os-tenant-networks').json_body_or_none
    assert tenant == {'networks': [{'id': neutron.private['id'], 'label': 'private',
                                    'cidr': 'None'}]}
    shown = client.get('/os-tenant-networks/%s' % neutron.private['id']).json_body_or_none
    assert shown == {'network': tenant['networks'][0]}
    res = client.get('/os-tenant-networks/nope')
    assert res.status_int == 404
    assert res.json_body_or_none['itemNotFound']['message'] == 'Network not found'
    assert client.get('/os-tenant-networks', version='2.36').status_int == 404
