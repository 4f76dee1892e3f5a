"""The network proxy knows no networks without a network service, and says so cleanly."""

from tests.unit.api.conftest import Client


def test_list_is_empty_and_show_is_404(paste_app, dbs):
    client = Client(paste_app, token='demo:demo')
    resp = client.get('/os-networks')
    assert resp.status_int == 200 and resp.json_body_or_none == {'networks': []}
    resp = client.get('/os-networks/none')
    assert resp.status_int == 404 and 'itemNotFound' in resp.json_body_or_none
    assert client.get('/os-networks', version='2.36').status_int == 404
