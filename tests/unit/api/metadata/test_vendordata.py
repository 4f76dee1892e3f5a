"""DynamicJSON vendor data against a real HTTP service on 127.0.0.1."""

import http.server
import json
import threading

import pytest

from nova.api.metadata import base
from nova.api.metadata import vendordata
import nova.conf
from tests.unit.api.metadata.conftest import INSTANCE_UUID

CONF = nova.conf.CONF


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        self.server.seen.append((self.path, body))
        if self.path == '/broken':
            self.send_response(500)
            self.end_headers()
            return
        payload = json.dumps({'token': 'for-' + body['instance-id']}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def service():
    server = http.server.HTTPServer(('127.0.0.1', 0), _Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, 'http://127.0.0.1:%d' % server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture
def dynamic_on():
    CONF.set_override('vendordata_providers', ['StaticJSON', 'DynamicJSON'], group='api')
    yield
    for name in ('vendordata_providers', 'vendordata_dynamic_targets',
                 'vendordata_dynamic_failure_fatal'):
        CONF.clear_override(name, group='api')


def test_targets_answers_filed_by_name(instance, service, dynamic_on):
    server, url = service
    CONF.set_override('vendordata_dynamic_targets',
                      ['ad@%s/token' % url, 'bad-entry', 'down@%s/broken' % url], group='api')
    instance.system_metadata = {'boot_roles': 'member,reader'}
    data = base.InstanceMetadata(instance).lookup('/openstack/latest/vendor_data2.json')
    assert data == {'static': {}, 'ad': {'token': 'for-' + INSTANCE_UUID}}
    path, body = server.seen[0]
    assert path == '/token'
    assert body == {'project-id': 'proj-1', 'instance-id': INSTANCE_UUID,
                    'image-id': instance.image_ref, 'user-data': instance.user_data,
                    'hostname': 'web-1', 'metadata': {'role': 'web'},
                    'boot-roles': 'member,reader'}
    assert [p for p, _ in server.seen] == ['/token', '/broken']


def test_failure_fatal(instance, service, dynamic_on):
    _server, url = service
    CONF.set_override('vendordata_dynamic_targets', ['down@%s/broken' % url], group='api')
    CONF.set_override('vendordata_dynamic_failure_fatal', True, group='api')
    with pytest.raises(vendordata.VendorDataFailed):
        base.InstanceMetadata(instance).lookup('/openstack/latest/vendor_data2.json')


def test_unreachable_target_is_skipped(instance, dynamic_on):
    CONF.set_override('vendordata_dynamic_targets', ['gone@http://127.0.0.1:9/x'],
                      group='api')
    data = base.InstanceMetadata(instance).lookup('/openstack/latest/vendor_data2.json')
    assert data == {'static': {}}
