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

import os
import uuid

import pytest

import nova.conf
from nova import context as nova_context
from nova.db.api import engine as api_engine
from nova.db.main import engine as main_engine
from nova import objects
from nova import rpc
from tests.e2e import processes
from tests.e2e import browser as browser_helpers
from tests.e2e.browser import browser  # noqa: F401 (pytest fixture)
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)

CONF = nova.conf.CONF
NOVNC_DIR = '/usr/share/novnc'


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
            shot = browser_helpers.novnc_shows_screen(browser, access_url)
            (tmp_path / 'console.png').write_bytes(shot)
        finally:
            assert daemon.stop() == 0, daemon.log()


def _listening(port):
    import socket
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(('127.0.0.1', port)) == 0
