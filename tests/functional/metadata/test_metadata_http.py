"""The metadata API over HTTP: in-process server, then the real console scripts.

Instances live in a real (SQLite file) cell database mapped from the API
database.  A request from 127.0.0.1 is the instance whose fixed IP is
127.0.0.1; Neutron's proxy is played by sending the signed headers it sends.
"""

import base64
import hashlib
import hmac
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

import nova.conf
from nova.api import server
from tests.functional.metadata.conftest import PUBLIC_KEY, USER_DATA

CONF = nova.conf.CONF
BIN = os.path.dirname(sys.executable)
SECRET = 'proxy-secret'


@pytest.fixture
def metadata_url(cloud):
    if getattr(CONF, '_args', None) is None:
        CONF([], project='nova', default_config_files=[])
    from nova.wsgi import metadata
    app = metadata.init_application(configure=False)
    api = server.APIServer('metadata', app, '127.0.0.1', 0, threads=4).start()
    try:
        yield 'http://127.0.0.1:%d' % api.port
    finally:
        api.stop()


@pytest.fixture
def proxy_mode():
    CONF.set_override('service_metadata_proxy', True, group='neutron')
    CONF.set_override('metadata_proxy_shared_secret', SECRET, group='neutron')
    yield
    CONF.clear_override('service_metadata_proxy', group='neutron')
    CONF.clear_override('metadata_proxy_shared_secret', group='neutron')


def _signed(instance, tenant=None, secret=SECRET):
    signature = hmac.new(secret.encode(), instance.uuid.encode(), hashlib.sha256).hexdigest()
    return {'X-Instance-ID': instance.uuid, 'X-Tenant-ID': tenant or instance.project_id,
            'X-Instance-ID-Signature': signature}


def test_found_by_remote_address(cloud, metadata_url):
    session = requests.Session()
    root = session.get(metadata_url + '/')
    assert root.status_code == 200
    assert root.text.split('\n')[-2:] == ['2009-04-04', 'latest']
    versions = session.get(metadata_url + '/openstack')
    assert versions.text.split('\n') == [
        '2012-08-10', '2013-04-04', '2013-10-17', '2015-10-15', '2016-06-30',
        '2016-10-06', '2017-02-22', '2018-08-27', 'latest']
    assert session.get(metadata_url + '/openstack/latest').text.split('\n') == [
        'meta_data.json', 'user_data', 'password', 'vendor_data.json',
        'network_data.json', 'vendor_data2.json']
    res = session.get(metadata_url + '/openstack/latest/meta_data.json')
    assert res.status_code == 200
    assert res.headers['Content-Type'].startswith('application/json')
    meta = res.json()
    assert meta['uuid'] == cloud['local'].uuid
    assert meta['hostname'] == 'local.novalocal'
    assert meta['public_keys'] == {'k1': PUBLIC_KEY}
    assert meta['meta'] == {'role': 'local'}
    assert meta['project_id'] == 'p1'
    assert session.get(metadata_url + '/openstack/latest/user_data').content == USER_DATA
    network = session.get(metadata_url + '/openstack/2015-10-15/network_data.json').json()
    assert network['networks'][0]['ip_address'] == '127.0.0.1'
    assert session.get(metadata_url + '/latest/user-data').content == USER_DATA
    ec2 = session.get(metadata_url + '/2009-04-04/meta-data/').text.split('\n')
    assert 'instance-id' in ec2 and 'placement/' in ec2 and 'public-keys/' in ec2
    assert session.get(metadata_url + '/latest/meta-data/local-ipv4').text == '127.0.0.1'
    assert session.get(metadata_url + '/latest/meta-data/instance-type').text == 'm1.tiny'
    assert session.get(metadata_url + '/latest/meta-data/public-keys/').text == '0=k1'
    assert session.get(
        metadata_url + '/latest/meta-data/public-keys/0/openssh-key').text == PUBLIC_KEY
    for path in ('/openstack/2000-01-01/meta_data.json', '/openstack/latest/bogus',
                 '/latest/meta-data/bogus', '/1999-09-09/meta-data/', '/bogus'):
        assert session.get(metadata_url + path).status_code == 404, path


def test_unknown_address_is_404(cloud, metadata_url):
    with nova_local_ip_removed(cloud):
        assert requests.get(metadata_url + '/openstack/latest/meta_data.json').status_code \
            == 404


class nova_local_ip_removed(object):
    """Give the 'local' instance another address for the duration."""

    def __init__(self, instances):
        self.instance = instances['local']

    def __enter__(self):
        cache = self.instance.info_cache
        self.saved = cache.network_info
        vif = dict(self.saved[0])
        vif['network'] = dict(vif['network'], subnets=[])
        cache.network_info = [vif]
        cache.save()

    def __exit__(self, *exc):
        self.instance.info_cache.network_info = self.saved
        self.instance.info_cache.save()


def test_forwarded_for_with_proxy_header_parsing(cloud, metadata_url):
    CONF.set_override('enable_proxy_headers_parsing', True, group='oslo_middleware')
    try:
        res = requests.get(metadata_url + '/openstack/latest/meta_data.json',
                           headers={'X-Forwarded-For': '10.9.9.7'})
    finally:
        CONF.clear_override('enable_proxy_headers_parsing', group='oslo_middleware')
    assert res.status_code == 200
    assert res.json()['uuid'] == cloud['remote'].uuid


def test_signed_instance_id(cloud, metadata_url, proxy_mode):
    url = metadata_url + '/openstack/latest/meta_data.json'
    remote = cloud['remote']
    res = requests.get(url, headers=_signed(remote))
    assert res.status_code == 200 and res.json()['uuid'] == remote.uuid
    assert requests.get(url, headers=_signed(remote, secret='wrong')).status_code == 403
    assert requests.get(url, headers=_signed(remote, tenant='p1')).status_code == 404
    assert requests.get(url, headers=_signed(cloud['gone'])).status_code == 404
    unsigned = _signed(remote)
    del unsigned['X-Instance-ID-Signature']
    assert requests.get(url, headers=unsigned).status_code == 403
    no_id = _signed(remote)
    del no_id['X-Instance-ID']
    assert requests.get(url, headers=no_id).status_code == 400
    no_tenant = _signed(remote)
    del no_tenant['X-Tenant-ID']
    assert requests.get(url, headers=no_tenant).status_code == 400
    # Without the proxy headers the caller's address no longer counts.
    assert requests.get(url).status_code == 400


def test_password_posted_once(cloud, metadata_url, proxy_mode):
    url = metadata_url + '/openstack/latest/password'
    headers = _signed(cloud['remote'])
    assert requests.get(url, headers=headers).text == ''
    encrypted = base64.b64encode(b'\x01' * 300).decode()
    assert requests.post(url, data=encrypted, headers=headers).status_code == 200
    assert requests.get(url, headers=headers).text == encrypted
    assert requests.post(url, data='again', headers=headers).status_code == 409
    assert requests.post(metadata_url + '/openstack/latest/password', data='x' * 2000,
                         headers=_signed(cloud['local'])).status_code == 400


# --- the console scripts ------------------------------------------------------

def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_for(url, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError('%s exited with %s: %s' % (
                proc.args[0], proc.returncode, proc.stdout.read().decode()))
        try:
            return requests.get(url, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError('no answer at %s' % url)


def _config(tmp_path, dbs, extra=''):
    conf = tmp_path / 'nova.conf'
    conf.write_text(
        '[DEFAULT]\n'
        'transport_url = rabbit://guest:guest@127.0.0.1:5672/\n'
        'log_file = %s\n%s'
        '[api]\nauth_strategy = noauth2\n'
        '[api_database]\nconnection = sqlite:///%s\n'
        '[database]\nconnection = sqlite:///%s\n'
        % (tmp_path / 'api.log', extra, dbs[0], dbs[1]))
    return conf


@pytest.mark.parametrize('binary,apis', [('nova-api-metadata', None),
                                         ('nova-api', 'osapi_compute,metadata')])
def test_console_script_serves_metadata(cloud, dbs, tmp_path, binary, apis):  # noqa: F811
    meta_port, api_port = _free_port(), _free_port()
    extra = ('metadata_listen = 127.0.0.1\nmetadata_listen_port = %d\n'
             'osapi_compute_listen = 127.0.0.1\nosapi_compute_listen_port = %d\n'
             % (meta_port, api_port))
    if apis:
        extra += 'enabled_apis = %s\n' % apis
    conf = _config(tmp_path, dbs, extra)
    proc = subprocess.Popen([os.path.join(BIN, binary), '--config-file', str(conf)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = 'http://127.0.0.1:%d' % meta_port
    try:
        _wait_for(base + '/', proc)
        meta = requests.get(base + '/openstack/latest/meta_data.json')
        assert meta.status_code == 200 and meta.json()['uuid'] == cloud['local'].uuid
        if apis:
            compute = requests.get('http://127.0.0.1:%d/' % api_port)
            assert compute.json()['versions'][1]['id'] == 'v2.1'
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _set_address(instance, address):
    vif = dict(instance.info_cache.network_info[0])
    subnet = dict(vif['network']['subnets'][0], ips=[{'address': address, 'type': 'fixed'}])
    vif['network'] = dict(vif['network'], subnets=[subnet])
    instance.info_cache.network_info = [vif]
    instance.info_cache.save()


def test_address_index_follows_a_moved_address(cloud):
    from nova.api.metadata import lookup
    index = lookup.AddressIndex(min_rescan=0)
    assert index.get('127.0.0.1').uuid == cloud['local'].uuid
    assert index.get('10.9.9.7').uuid == cloud['remote'].uuid
    assert index.get('10.9.9.8') is None  # the deleted instance's address
    _set_address(cloud['local'], '10.9.9.50')
    _set_address(cloud['remote'], '127.0.0.1')
    assert index.get('127.0.0.1').uuid == cloud['remote'].uuid
    assert index.get('10.9.9.50').uuid == cloud['local'].uuid
    assert index.get('10.9.9.7') is None
