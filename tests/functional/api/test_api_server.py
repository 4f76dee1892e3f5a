"""nova-api as a real process: the built-in server over HTTP with noauth2.

The API database is a SQLite file built by ``nova-manage api_db sync``;
requests go over real sockets with ``requests`` (keep-alive session).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

BIN = os.path.dirname(sys.executable)


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _wait_for(url, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError('nova-api exited with %s' % proc.returncode)
        try:
            return requests.get(url, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError('nova-api did not answer at %s' % url)


@pytest.fixture
def api_server(tmp_path):
    port = _free_port()
    conf = tmp_path / 'nova.conf'
    conf.write_text(
        '[DEFAULT]\n'
        'transport_url = rabbit://guest:guest@127.0.0.1:5672/\n'
        'osapi_compute_listen = 127.0.0.1\n'
        'osapi_compute_listen_port = %d\n'
        'enabled_apis = osapi_compute\n'  # metadata's fixed port 8775 would clash
        'log_file = %s\n'
        '[api]\nauth_strategy = noauth2\n'
        '[api_database]\nconnection = sqlite:///%s\n'
        '[database]\nconnection = sqlite:///%s\n'
        % (port, tmp_path / 'api.log', tmp_path / 'api.sqlite', tmp_path / 'main.sqlite'))
    subprocess.run([os.path.join(BIN, 'nova-manage'), '--config-file', str(conf),
                    'api_db', 'sync'], check=True, capture_output=True)
    proc = subprocess.Popen([os.path.join(BIN, 'nova-api'), '--config-file', str(conf)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = 'http://127.0.0.1:%d' % port
    try:
        _wait_for(base + '/', proc)
        yield base, proc, tmp_path
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serves_compute_api_over_http(api_server):
    base, _proc, _tmp = api_server
    session = requests.Session()
    session.headers['X-Auth-Token'] = 'admin:admin'
    root = session.get(base + '/')
    assert root.status_code == 200
    assert root.json()['versions'][1]['links'][0]['href'] == base + '/v2.1/'
    assert session.get(base + '/v2.1/').json()['version']['id'] == 'v2.1'
    res = session.post(base + '/v2.1/flavors', json={'flavor': {
        'name': 'm1.tiny', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '1'}})
    assert res.status_code == 200, res.text
    listed = session.get(base + '/v2.1/flavors/detail').json()['flavors']
    assert [f['name'] for f in listed] == ['m1.tiny']
    assert listed[0]['links'][0]['href'] == base + '/v2.1/flavors/1'
    bad = session.get(base + '/v2.1/flavors',
                      headers={'OpenStack-API-Version': 'compute 9.9'})
    assert bad.status_code == 406
    assert bad.json()['computeFault']['code'] == 406
    malformed = session.post(base + '/v2.1/flavors', data=b'{oops',
                             headers={'Content-Type': 'application/json'})
    assert malformed.status_code == 400
    assert malformed.json() == {'badRequest': {'code': 400,
                                               'message': 'Malformed request body'}}
    assert res.headers['x-compute-request-id'].startswith('req-')


def test_sigterm_stops_cleanly(api_server):
    base, proc, tmp_path = api_server
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    log = (tmp_path / 'api.log').read_text()
    assert 'GET /' in log and 'status: 200' in log


def test_wsgi_entry_point_ignores_server_argv(tmp_path):
    """gunicorn-style argv must not reach nova's option parser."""
    conf = tmp_path / 'nova.conf'
    conf.write_text('[api]\nauth_strategy = noauth2\n'
                    '[api_database]\nconnection = sqlite:///%s\n' % (tmp_path / 'a.sqlite'))
    code = ('import sys; sys.argv = ["gunicorn", "-w", "2", "--bind", ":8774", '
            '"nova.wsgi.osapi_compute:application"]\n'
            'import webob\n'
            'from nova.wsgi import osapi_compute\n'
            'app = osapi_compute.application\n'
            'res = webob.Request.blank("/").get_response(app)\n'
            'print(res.status_int)\n')
    env = dict(os.environ, OS_NOVA_CONFIG_FILES=str(conf))
    out = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith('200')


@pytest.mark.skipif(shutil.which('curl') is None, reason='needs curl')
def test_keep_alive(api_server):
    base, _proc, _tmp = api_server
    out = subprocess.run(['curl', '-s', '-o', '/dev/null', '-o', '/dev/null', '-w',
                          '%{num_connects}\n', base + '/', base + '/'],
                         capture_output=True, text=True, timeout=30)
    assert out.stdout.split() == ['1', '0']
