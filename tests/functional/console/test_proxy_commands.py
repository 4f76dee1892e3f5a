"""The three proxy console scripts as real processes: start-up checks, serving, SIGTERM."""

import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.fixtures.waiting import wait_for


def _free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _conf(tmp_path, text):
    path = tmp_path / 'nova.conf'
    path.write_text('[database]\nconnection = sqlite:///%s\n%s'
                    % (tmp_path / 'cell.sqlite', text))
    return str(path)


def _run(module, *args, timeout=60):
    return subprocess.run([sys.executable, '-m', module, *args], capture_output=True,
                          text=True, timeout=timeout)


def test_missing_web_client_files_stop_novncproxy(tmp_path):
    conf = _conf(tmp_path, '')
    result = _run('nova.cmd.novncproxy', '--config-file', conf,
                  '--web', str(tmp_path / 'absent'))
    assert result.returncode == 1
    assert 'cannot find the web client files at %s' % (tmp_path / 'absent') in result.stderr


def test_ssl_only_without_certificate_stops_spicehtml5proxy(tmp_path):
    conf = _conf(tmp_path, '[DEFAULT]\nssl_only = true\ncert = %s\nweb = %s\n'
                 % (tmp_path / 'no.pem', tmp_path))
    result = _run('nova.cmd.spicehtml5proxy', '--config-file', conf)
    assert result.returncode == 1 and 'ssl_only' in result.stderr


@pytest.mark.parametrize('module, section, opts', [
    ('nova.cmd.novncproxy', 'vnc', ('novncproxy_host', 'novncproxy_port')),
    ('nova.cmd.spicehtml5proxy', 'spice', ('html5proxy_host', 'html5proxy_port')),
    ('nova.cmd.serialproxy', 'serial_console', ('serialproxy_host', 'serialproxy_port')),
])
def test_proxy_serves_its_web_directory_and_stops_on_sigterm(tmp_path, module, section, opts):
    web = tmp_path / 'web'
    web.mkdir()
    (web / 'hello.html').write_text('<p>console</p>')
    port = _free_port()
    conf = _conf(tmp_path, '[%s]\n%s = 127.0.0.1\n%s = %d\n' % (section, opts[0], opts[1],
                                                               port))
    log = open(tmp_path / 'proxy.log', 'wb')
    proc = subprocess.Popen([sys.executable, '-m', module, '--config-file', conf,
                             '--web', str(web)], stdout=log, stderr=subprocess.STDOUT)
    try:
        def fetch():
            try:
                with urllib.request.urlopen('http://127.0.0.1:%d/hello.html' % port,
                                            timeout=5) as response:
                    return response.read()
            except OSError:
                assert proc.poll() is None, (tmp_path / 'proxy.log').read_text()
                return None
        assert wait_for(fetch, timeout=60, what='%s serving' % module) == b'<p>console</p>'
        # Directory listings are never served.
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen('http://127.0.0.1:%d/' % port, timeout=5)
        assert info.value.code == 404
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
