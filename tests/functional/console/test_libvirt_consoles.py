"""The proxies in front of a real QEMU guest spawned by the libvirt driver.

The guest gets ``[serial_console] enabled = true`` (a TCP serial port) and a
VNC display; the driver reports both endpoints, tokens for them go into the
SQLite cell DB, and websocket clients read the guest's boot output and the
QEMU VNC server's framebuffer through the proxies.
"""

import struct
import threading
import time
import uuid

import pytest

import nova.conf
from nova.console.securityproxy import rfb
from nova import objects
from tests.fixtures import guest_image as guest_image_fixture
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tests.fixtures.waiting import wait_for
from tests.functional.console import conftest as helpers

CONF = nova.conf.CONF
READY = guest_image_fixture.READY_MARKER


def _driver_instance():
    flavor = objects.Flavor(name='m1.test', memory_mb=128, vcpus=1, root_gb=1,
                            ephemeral_gb=0, swap=0, flavorid='t1')
    return objects.Instance(id=uuid.uuid4().int % 0xFFFFFFF, uuid=str(uuid.uuid4()),
                            image_ref=str(uuid.uuid4()), user_id='u1', project_id='p1',
                            display_name='console-vm', flavor=flavor, kernel_id='',
                            ramdisk_id='', system_metadata={}, config_drive='')


@pytest.fixture
def guest(request, guest_host, guest_image, tmp_path, ctxt):  # noqa: F811
    """A running guest with TCP serial and VNC consoles, mirrored in the cell DB.

    Parametrized indirectly with extra (name, value, group) overrides.
    """
    extra = list(getattr(request, 'param', ())) + [('enabled', True, 'serial_console')]
    with host_fixture.driver_config(guest_host, tmp_path, extra):
        driver = host_fixture.local_image_driver(guest_image)
        driver.init_host(CONF.host)
        instance = _driver_instance()
        db_instance = objects.Instance(ctxt, uuid=instance.uuid, project_id='p1',
                                       user_id='u1', host=CONF.host)
        db_instance.create()
        image_meta = objects.ImageMeta.from_dict({'id': instance.image_ref,
                                                  'disk_format': 'qcow2', 'properties': {}})
        try:
            driver.spawn(None, instance, image_meta, [], None, None)
            yield driver, instance
        finally:
            try:
                driver.destroy(None, instance, [])
            except Exception:  # virsh below is the backstop
                pass
            host_fixture.virsh('destroy', instance.name, check=False)
            host_fixture.virsh('undefine', '--managed-save', instance.name, check=False)
            driver.cleanup_host(CONF.host)


class SerialCollector(threading.Thread):
    """Reads a serial websocket into a buffer until closed."""

    def __init__(self, conn):
        super().__init__(daemon=True)
        self.conn = conn
        self.output = b''
        self.error = None

    def run(self):
        import websocket
        try:
            while True:
                opcode, data = self.conn.recv_data()
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    return
                self.output += data
        except Exception as exc:  # closed by the test, or a real failure
            self.error = exc

    def text(self):
        return self.output.decode('utf-8', 'replace')


def _read_framebuffer(reader, width, height, bytes_per_pixel):
    """Ask for the whole screen in raw encoding; return the pixel bytes."""
    reader.send(struct.pack('!BxHi', 2, 1, 0))  # SetEncodings: raw only
    reader.send(struct.pack('!BBHHHH', 3, 0, 0, 0, width, height))
    pixels = b''
    while True:
        kind = reader.read(1)[0]
        if kind == 0:  # FramebufferUpdate
            count = struct.unpack('!xH', reader.read(3))[0]
            for _ in range(count):
                _x, _y, w, h, encoding = struct.unpack('!HHHHi', reader.read(12))
                if encoding == 0:
                    pixels += reader.read(w * h * bytes_per_pixel)
            return pixels
        if kind == 2:  # Bell
            continue
        if kind == 3:  # ServerCutText
            reader.read(3)
            reader.read(struct.unpack('!I', reader.read(4))[0])
            continue
        raise AssertionError('unexpected RFB server message %d' % kind)


def test_serial_and_vnc_of_a_libvirt_guest(guest, ctxt, start_proxy):
    driver, instance = guest
    serial = driver.get_serial_console(None, instance)
    serial_proxy = start_proxy(('serial',))
    token = helpers.make_token(ctxt, instance.uuid, serial.port, console_type='serial',
                               host=serial.host,
                               access_url_base='ws://127.0.0.1:6083/')
    conn = helpers.connect(serial_proxy.url('?token=%s' % token), timeout=None)
    collector = SerialCollector(conn)
    collector.start()
    try:
        # The driver returns once QEMU runs; the guest boots while we listen.
        wait_for(lambda: READY in collector.text() or collector.error is not None,
                 timeout=180, what='ready marker through the serial proxy')
        assert READY in collector.text(), (collector.error, collector.text()[-2000:])
    finally:
        conn.close()
        collector.join(10)

    vnc = driver.get_vnc_console(None, instance)
    vnc_proxy = start_proxy(('novnc',), security_proxy=rfb.RFBSecurityProxy(['none']))
    token = helpers.make_token(ctxt, instance.uuid, vnc.port, host=vnc.host)
    conn = helpers.connect(vnc_proxy.url('?token=%s' % token))
    try:
        reader = helpers.WsReader(conn)
        helpers.rfb_security_none(reader)
        width, height, pixel_format, name = helpers.rfb_client_init(reader)
        assert width > 0 and height > 0
        assert instance.name in name  # QEMU says 'QEMU (<domain name>)'
        # The guest's VGA text console shows the kernel's boot messages.
        deadline = time.monotonic() + 60
        while True:
            pixels = _read_framebuffer(reader, width, height, pixel_format[0] // 8)
            if any(pixels) or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert len(pixels) == width * height * pixel_format[0] // 8
        assert any(pixels), 'the guest screen is blank'
    finally:
        conn.close()


@pytest.mark.parametrize('guest', [[('enabled', True, 'spice'), ('enabled', False, 'vnc')]],
                         indirect=True)
def test_spice_of_a_libvirt_guest(guest, ctxt, start_proxy):
    """spice-html5's bytes reach QEMU's SPICE server untouched: it answers a link request."""
    driver, instance = guest
    spice = driver.get_spice_console(None, instance)
    proxy = start_proxy(('spice-html5',))
    token = helpers.make_token(ctxt, instance.uuid, spice.port, console_type='spice-html5',
                               host=spice.host,
                               access_url_base='http://127.0.0.1:6082/spice_auto.html')
    conn = helpers.connect(proxy.url(), cookie='token=%s' % token)
    try:
        reader = helpers.WsReader(conn)
        # SpiceLinkHeader (magic, protocol 2.2, size) + SpiceLinkMess for the main channel.
        link = struct.pack('<IBBIII', 0, 1, 0, 0, 0, 18)
        reader.send(b'REDQ' + struct.pack('<III', 2, 2, len(link)) + link)
        magic, major = reader.read(4), struct.unpack('<I', reader.read(4))[0]
        assert (magic, major) == (b'REDQ', 2)
    finally:
        conn.close()
