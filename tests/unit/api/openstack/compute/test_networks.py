"""The network proxies (``/os-networks``, ``/os-tenant-networks``): no networks
without a network service, said cleanly; gone from 2.36."""

from tests.unit.api.conftest import Client
from tests.unit.api.legacy_cloud import _as
from tests.unit.api.legacy_cloud import _fault
from tests.unit.api.legacy_cloud import cloud  # noqa: F401


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
