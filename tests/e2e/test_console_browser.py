"""noVNC in headless Chromium, through the real nova-novncproxy daemon, to a real guest.

The daemon runs from the installed console script with a nova.conf naming
SQLite API and cell databases (built by ``nova-manage``); a QEMU guest with a
VNC display runs under libvirt; a console token for it is authorized in the
cell DB exactly as the API does, and its access URL (vnc_lite.html?path=...)
is opened in Chromium driven by chromedriver over the W3C WebDriver HTTP API
(plain urllib, no client library). The page must report "Connected" and the
noVNC canvas must show the guest's screen (non-black pixels).

Skips when Chromium/chromedriver are not installed or cannot start, when the
noVNC files (Debian ``novnc``) are missing, or when QEMU guests cannot run.
"""

import base64
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest

import nova.conf
from nova import context as nova_context
from nova.db.api import engine as api_engine
from nova.db.main import engine as main_engine
from nova import objects
from nova import rpc
from tests.e2e import processes
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tests.fixtures.waiting import wait_for

CONF = nova.conf.CONF
NOVNC_DIR = '/usr/share/novnc'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                 '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync',
                 '--window-size=1024,768']

# Count of non-black pixels on noVNC's canvas (-1 before the canvas exists).
CANVAS_PIXELS_JS = """
const canvas = document.querySelector('#screen canvas') || document.querySelector('canvas');
if (!canvas || !canvas.width || !canvas.height) { return -1; }
const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let lit = 0;
for (let i = 0; i < data.length; i += 4) {
    if (data[i] || data[i + 1] || data[i + 2]) { lit++; }
}
return lit;
"""


def _chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return None


class WebDriver(object):
    """The few W3C WebDriver endpoints the test needs, over plain HTTP."""

    def __init__(self, port):
        self.base = 'http://127.0.0.1:%d' % port
        self.session = None

    def _call(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())['value']
        except urllib.error.HTTPError as exc:
            raise AssertionError('WebDriver %s %s: %s' % (method, path, exc.read()[:2000]))

    def ready(self):
        try:
            return self._call('GET', '/status', timeout=5).get('ready')
        except (OSError, AssertionError):
            return False

    def start(self, binary, user_data_dir):
        options = {'binary': binary, 'args': CHROMIUM_ARGS + ['--user-data-dir=%s'
                                                              % user_data_dir]}
        value = self._call('POST', '/session', {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome', 'goog:chromeOptions': options}}}, timeout=120)
        self.session = value['sessionId']

    def go(self, url):
        self._call('POST', '/session/%s/url' % self.session, {'url': url}, timeout=120)

    def script(self, source):
        return self._call('POST', '/session/%s/execute/sync' % self.session,
                          {'script': source, 'args': []})

    def screenshot(self):
        return base64.b64decode(self._call('GET', '/session/%s/screenshot' % self.session))

    def quit(self):
        if self.session:
            try:
                self._call('DELETE', '/session/%s' % self.session, timeout=30)
            except (OSError, AssertionError):
                pass


@pytest.fixture
def browser(tmp_path):
    chromium, chromedriver = _chromium(), shutil.which('chromedriver')
    if not chromium or not chromedriver:
        pytest.skip('Chromium and chromedriver are not installed (Debian chromium, '
                    'chromium-driver)')
    port = processes.free_port()
    log = open(tmp_path / 'chromedriver.log', 'wb')
    proc = subprocess.Popen([chromedriver, '--port=%d' % port], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    driver = WebDriver(port)
    try:
        try:
            wait_for(driver.ready, timeout=60, what='chromedriver ready')
            driver.start(chromium, str(tmp_path / 'chromium-profile'))
        except Exception as exc:
            pytest.skip('Chromium cannot run here: %s' % exc)
        yield driver
    finally:
        driver.quit()
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _write_conf(path, api_db, cell_db, port):
    with open(path, 'w') as f:
        f.write('[DEFAULT]\nweb = %s\n[database]\nconnection = sqlite:///%s\n'
                '[api_database]\nconnection = sqlite:///%s\n'
                '[vnc]\nnovncproxy_host = 127.0.0.1\nnovncproxy_port = %d\n'
                % (NOVNC_DIR, cell_db, api_db, port))


def _authorize(api_db, cell_db, vnc_port, access_url_base):
    """Create the server row and its console token in the cell DB; the access URL."""
    objects.register_all()
    rpc.register_opts(CONF)
    CONF.set_override('connection', 'sqlite:///%s' % api_db, group='api_database')
    CONF.set_override('connection', 'sqlite:///%s' % cell_db, group='database')
    api_engine.configure(CONF)
    main_engine.configure(CONF)
    try:
        ctxt = nova_context.get_admin_context()
        instance = objects.Instance(ctxt, uuid=str(uuid.uuid4()), project_id='p',
                                    user_id='u', host='compute1')
        instance.create()
        token = objects.ConsoleAuthToken(ctxt, console_type='novnc', host='127.0.0.1',
                                         port=vnc_port, instance_uuid=instance.uuid,
                                         access_url_base=access_url_base)
        token.authorize()
        return token.access_url
    finally:
        main_engine.get_engine().dispose()
        api_engine.get_engine().dispose()
        CONF.clear_override('connection', group='api_database')
        CONF.clear_override('connection', group='database')


def test_novnc_in_chromium_shows_the_guest(guest_host, guest_image, browser,  # noqa: F811
                                           tmp_path):
    if not os.path.isfile(os.path.join(NOVNC_DIR, 'vnc_lite.html')):
        pytest.skip('noVNC is not installed in %s (Debian novnc)' % NOVNC_DIR)
    api_db, cell_db = tmp_path / 'api.sqlite', tmp_path / 'cell.sqlite'
    port = processes.free_port()
    conf = tmp_path / 'nova.conf'
    _write_conf(conf, api_db, cell_db, port)
    processes.run('nova-manage', 'api_db', 'sync', conf=str(conf))
    processes.run('nova-manage', 'db', 'sync', conf=str(conf))

    with host_fixture.transient_guest(str(tmp_path), guest_host, guest_image,
                                      prefix='nova-test-console') as (name, _log):
        display = host_fixture.virsh('vncdisplay', name).stdout.strip()
        vnc_port = 5900 + int(display.rsplit(':', 1)[1])
        access_url = _authorize(api_db, cell_db, vnc_port,
                                'http://127.0.0.1:%d/vnc_lite.html' % port)
        daemon = processes.Daemon('nova-novncproxy', str(conf),
                                  str(tmp_path / 'novncproxy.log')).start()
        try:
            processes.wait_for(lambda: _listening(port) or not daemon.alive(),
                               what='nova-novncproxy listening')
            assert daemon.alive(), daemon.log()
            browser.go(access_url)
            status = lambda: browser.script(  # noqa: E731
                "return document.getElementById('status').textContent")
            processes.wait_for(lambda: 'Connected' in status(), timeout=120,
                               what='noVNC status "Connected" (%s)' % access_url)
            # The guest's VGA console fills with boot messages: non-black pixels.
            processes.wait_for(lambda: browser.script(CANVAS_PIXELS_JS) > 0, timeout=180,
                               what='guest screen drawn on the noVNC canvas')
            shot = browser.screenshot()
            (tmp_path / 'console.png').write_bytes(shot)
            assert shot.startswith(b'\x89PNG')
            assert 'Connected' in status(), status()
        finally:
            assert daemon.stop() == 0, daemon.log()


def _listening(port):
    import socket
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(('127.0.0.1', port)) == 0
