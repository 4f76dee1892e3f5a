"""Headless Chromium driven by chromedriver over the W3C WebDriver HTTP API.

Plain urllib, no client library. The ``browser`` fixture skips (with the
reason) when Chromium or chromedriver is not installed or cannot start.
"""

import base64
import json
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.e2e import processes
from tests.fixtures.waiting import wait_for

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


def novnc_shows_screen(driver, url):
    """Open a noVNC page; wait for "Connected" and a drawn (non-black) canvas.

    Returns a PNG screenshot of the page.
    """
    driver.go(url)
    status = lambda: driver.script(  # noqa: E731
        "return document.getElementById('status').textContent")
    processes.wait_for(lambda: 'Connected' in status(), timeout=120,
                       what='noVNC status "Connected" (%s)' % url)
    # The guest's VGA console shows its boot messages: non-black pixels.
    processes.wait_for(lambda: driver.script(CANVAS_PIXELS_JS) > 0, timeout=180,
                       what='guest screen drawn on the noVNC canvas')
    shot = driver.screenshot()
    assert shot.startswith(b'\x89PNG')
    assert 'Connected' in status(), status()
    return shot
