"""The Cinder client: paths, microversion header, Cinder's errors mapped to
Nova's, retries only for idempotent calls, the endpoint from catalog_info,
and upstream's attach checks (status, multiattach, cross_az_attach)."""

from keystoneauth1 import exceptions as ks_exc
import pytest

import nova.conf
from nova import exception
from nova import service_auth
from nova.volume import cinder

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
    endpoint_override = 'http://cinder:8776/v3/p'

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def request(self, path, method, **kwargs):
        self.calls.append((method, path, kwargs.get('json'), kwargs['headers']))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch):
    monkeypatch.setattr(cinder.time, 'sleep', lambda s: None)


def test_attachment_flow_paths_bodies_and_microversion():
    flat = {'driver_volume_type': 'rbd', 'name': 'volumes/volume-vol'}
    adapter = _Adapter(
        _Resp(200, {'attachment': {'id': 'att', 'connection_info': flat}}),
        _Resp(200, {'attachment': {'id': 'att'}}), _Resp(204), _Resp(200))
    client = cinder.Client(adapter)
    connector = {'host': 'node1', 'ip': '127.0.0.1'}
    created = client.attachment_create('vol', 'srv', connector, mountpoint='/dev/vdb')
    # Cinder's flat connection info in upstream Nova's shape for the drivers
    assert created['connection_info'] == {'driver_volume_type': 'rbd', 'data': flat}
    client.attachment_update('att', connector)
    client.attachment_complete('att')
    client.attachment_delete('att')
    methods = [(c[0], c[1]) for c in adapter.calls]
    assert methods == [('POST', '/attachments'), ('PUT', '/attachments/att'),
                       ('POST', '/attachments/att/action'), ('DELETE', '/attachments/att')]
    body = adapter.calls[0][2]['attachment']
    assert body['volume_uuid'] == 'vol' and body['instance_uuid'] == 'srv'
    assert body['connector'] == dict(connector, mountpoint='/dev/vdb')
    assert adapter.calls[2][2] == {'os-complete': None}
    for call in adapter.calls:
        assert call[3]['OpenStack-API-Version'] == 'volume 3.44'


def test_errors_become_novas():
    client = cinder.Client(_Adapter(
        _Resp(404, {'itemNotFound': {'message': 'gone'}}),
        _Resp(400, {'badRequest': {'message': 'Invalid volume: in-use'}}),
        _Resp(404, {'itemNotFound': {'message': 'gone'}}),
        _Resp(500, {'computeFault': {'message': 'boom'}})))
    with pytest.raises(exception.VolumeNotFound):
        client.get_volume('v')
    with pytest.raises(exception.InvalidVolume, match='in-use'):
        client.attachment_create('v', 's')
    client.attachment_delete('gone')  # already deleted counts as deleted
    with pytest.raises(cinder.CinderError) as info:
        client.get_volume('v')
    assert info.value.status_code == 500 and info.value.reason == 'boom'


def test_connection_failures_retried_only_when_idempotent():
    CONF.set_override('http_retries', 2, group='cinder')
    try:
        failure = ks_exc.ConnectFailure('refused')
        adapter = _Adapter(failure, failure, _Resp(200, {'volume': {'id': 'v'}}))
        assert cinder.Client(adapter).get_volume('v') == {'id': 'v'}
        assert len(adapter.calls) == 3
        adapter = _Adapter(failure)
        with pytest.raises(exception.CinderConnectionFailed):
            cinder.Client(adapter).attachment_create('v', 's')
        assert len(adapter.calls) == 1
    finally:
        CONF.clear_override('http_retries', group='cinder')


def test_catalog_info_is_parsed_as_upstream():
    assert cinder.catalog_info() == ('volumev3', None, 'public')
    CONF.set_override('catalog_info', 'block-storage:cinder:internalURL', group='cinder')
    try:
        assert cinder.catalog_info() == ('block-storage', 'cinder', 'internal')
    finally:
        CONF.clear_override('catalog_info', group='cinder')


def test_endpoint_template_fills_in_the_project():
    CONF.set_override('endpoint_template', 'http://c:8776/v3/%(project_id)s', group='cinder')
    try:
        class Ctx(object):
            project_id = 'abc'
            auth_token = None
        client = cinder.get_client(Ctx())
        assert client.adapter.endpoint_override == 'http://c:8776/v3/abc'
    finally:
        CONF.clear_override('endpoint_template', group='cinder')


def _volume(**kw):
    volume = {'id': 'v', 'status': 'available', 'multiattach': False, 'attachments': [],
              'availability_zone': 'nova'}
    volume.update(kw)
    return volume


def test_attach_checks():
    cinder.check_attachable(_volume(), 's')
    with pytest.raises(exception.InvalidVolume, match='error'):
        cinder.check_attachable(_volume(status='error'), 's')
    with pytest.raises(exception.InvalidVolume, match='not multiattach'):
        cinder.check_attachable(_volume(status='in-use',
                                        attachments=[{'server_id': 'other'}]), 's')
    with pytest.raises(exception.InvalidVolume, match='already attached'):
        cinder.check_attachable(_volume(status='in-use', multiattach=True,
                                        attachments=[{'server_id': 's'}]), 's')
    with pytest.raises(exception.MultiattachNotSupportedOldMicroversion):
        cinder.check_attachable(_volume(multiattach=True), 's', multiattach_allowed=False)


def test_cross_az_attach():
    cinder.check_availability_zone(_volume(availability_zone='az2'), 'az1')
    CONF.set_override('cross_az_attach', False, group='cinder')
    try:
        cinder.check_availability_zone(_volume(availability_zone='az1'), 'az1')
        with pytest.raises(exception.InvalidVolume, match='same availability_zone'):
            cinder.check_availability_zone(_volume(availability_zone='az2'), 'az1')
    finally:
        CONF.clear_override('cross_az_attach', group='cinder')


def test_nova_calls_carry_its_service_token_and_log_in_once(monkeypatch):
    from keystoneauth1 import service_token
    loaded = []

    class Plugin(object):
        pass

    def load(conf, group):
        loaded.append(group)
        return Plugin()
    monkeypatch.setattr(service_auth.ks_loading, 'load_auth_from_conf_options', load)
    CONF.set_override('send_service_user_token', True, group='service_user')
    cinder.reset()
    try:
        auth = cinder._auth_for(None, admin=True)
        # Cinder lets only a service delete an attachment Nova made
        assert isinstance(auth, service_token.ServiceTokenAuthWrapper)
        cinder._auth_for(None, admin=True)
        assert sorted(loaded) == ['cinder', 'service_user']  # each plugin loaded once
    finally:
        CONF.clear_override('send_service_user_token', group='service_user')
        cinder.reset()
