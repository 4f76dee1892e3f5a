"""Libvirt driver unit fixtures: libvirt's in-process ``test:///default`` driver
(no daemon), a temporary instances_path and Instance objects without a database."""

import subprocess
import uuid
from xml.etree import ElementTree as etree

import pytest

import nova.conf
from nova import objects

CONF = nova.conf.CONF

libvirt = pytest.importorskip('libvirt')

TEST_URI = 'test:///default'


@pytest.fixture
def conf(tmp_path):
    overrides = [('instances_path', str(tmp_path / 'instances'), None),
                 ('state_path', str(tmp_path / 'state'), None),
                 ('virt_type', 'qemu', 'libvirt'),
                 ('connection_uri', TEST_URI, 'libvirt'),
                 ('snapshots_directory', str(tmp_path / 'snapshots'), 'libvirt')]
    for name, value, group in overrides:
        CONF.set_override(name, value, group=group)
    yield CONF
    for name, _, group in overrides:
        CONF.clear_override(name, group=group)


def make_instance(**flavor_kw):
    objects.register_all()
    flavor = dict(name='m1.tiny', memory_mb=64, vcpus=1, root_gb=0, ephemeral_gb=0, swap=0,
                  flavorid='1')
    flavor.update(flavor_kw)
    # An id the instance_name_template turns into instance-xxxxxxxx, unique per test.
    return objects.Instance(id=uuid.uuid4().int % 0xFFFFFFF, uuid=str(uuid.uuid4()),
                            image_ref=str(uuid.uuid4()), user_id='u1', project_id='p1',
                            display_name='vm', flavor=objects.Flavor(**flavor),
                            kernel_id='', ramdisk_id='', system_metadata={}, config_drive='')


@pytest.fixture
def instance():
    return make_instance()


def write_image(path, fmt='qcow2', size='16M'):
    subprocess.run(['qemu-img', 'create', '-q', '-f', fmt, str(path), size], check=True)


@pytest.fixture
def local_fetch(tmp_path):
    """A fetch(context, image_id, path) serving a small qcow2 file, counting calls."""
    source = tmp_path / 'source.qcow2'
    write_image(source)
    calls = []

    def fetch(context, image_id, path):
        calls.append(image_id)
        with open(source, 'rb') as src, open(path, 'wb') as dst:
            dst.write(src.read())

    fetch.calls = calls
    return fetch


@pytest.fixture
def test_conn():
    conn = libvirt.open(TEST_URI)
    yield conn
    conn.close()


@pytest.fixture
def quick_detach():
    """A hot unplug asks the guest three times, a second each."""
    CONF.set_override('device_detach_timeout', 1, group='libvirt')
    CONF.set_override('device_detach_attempts', 3, group='libvirt')
    yield
    CONF.clear_override('device_detach_timeout', group='libvirt')
    CONF.clear_override('device_detach_attempts', group='libvirt')


class HotplugDomain(object):
    """A running domain, as far as hot plug asks it, whose guest lets go of a
    device after ``acks_after`` live detach requests. ``key`` names a device
    by its XML element (a disk's target, a NIC's MAC); ``template`` is the
    domain XML around the devices."""

    def __init__(self, key, acks_after=1, template='<domain><devices>%s</devices></domain>'):
        self.key = key
        self.template = template
        self.live, self.persistent = {}, {}
        self.acks_after = acks_after
        self.live_asks = 0
        self.flags = []

    def XMLDesc(self, flags):
        devices = self.persistent if flags & libvirt.VIR_DOMAIN_XML_INACTIVE else self.live
        return self.template % ''.join(devices.values())

    def isActive(self):
        return True

    def attachDeviceFlags(self, xml, flags):
        self.flags.append(flags)
        key = self.key(etree.fromstring(xml))
        self.persistent[key] = xml
        if flags & libvirt.VIR_DOMAIN_AFFECT_LIVE:
            self.live[key] = xml

    def detachDeviceFlags(self, xml, flags):
        key = self.key(etree.fromstring(xml))
        if flags == libvirt.VIR_DOMAIN_AFFECT_CONFIG:
            self.persistent.pop(key)
            return
        self.live_asks += 1
        if self.live_asks >= self.acks_after:
            self.live.pop(key, None)


class RunningGuest(object):
    """The Guest calls hot plug makes, of a running ``domain``."""

    name = 'instance-1'

    def __init__(self, domain):
        self.domain = domain

    def is_active(self):
        return True

    def get_xml_tree(self, dump_inactive=False):
        flags = libvirt.VIR_DOMAIN_XML_INACTIVE if dump_inactive else 0
        return etree.fromstring(self.domain.XMLDesc(flags))
