"""RBD volumes on libvirt guests: the disk XML from Cinder's connection info,
and the detach that waits for the guest and asks again as upstream does."""

from xml.etree import ElementTree as etree

import pytest

import nova.conf
from nova import exception
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import volume
from tests.unit.virt.libvirt.conftest import HotplugDomain
from tests.unit.virt.libvirt.conftest import RunningGuest

CONF = nova.conf.CONF

CONNECTION_INFO = {
    'driver_volume_type': 'rbd', 'serial': 'vol-1',
    'data': {'name': 'volumes/volume-vol-1', 'hosts': ['127.0.0.1'], 'ports': ['6789'],
             'auth_enabled': True, 'auth_username': 'cinder', 'secret_type': 'ceph',
             'secret_uuid': 'cinders-secret', 'volume_id': 'vol-1', 'discard': True}}

DOMAIN = """<domain><devices>
<disk type='file' device='disk'><source file='/x/disk'/><target dev='vda' bus='virtio'/></disk>
%s</devices></domain>"""


def test_rbd_disk_xml():
    xml = volume.disk_config(CONNECTION_INFO, '/dev/vdb').to_xml()
    disk = etree.fromstring(xml)
    assert disk.get('type') == 'network' and disk.get('device') == 'disk'
    source = disk.find('source')
    assert source.get('protocol') == 'rbd' and source.get('name') == 'volumes/volume-vol-1'
    host = source.find('host')
    assert (host.get('name'), host.get('port')) == ('127.0.0.1', '6789')
    assert disk.find('auth').get('username') == 'cinder'
    secret = disk.find('auth/secret')
    assert (secret.get('type'), secret.get('uuid')) == ('ceph', 'cinders-secret')
    assert disk.find('target').get('dev') == 'vdb'
    assert disk.find('target').get('bus') == 'virtio'
    assert disk.find('serial').text == 'vol-1'
    assert disk.find('driver').get('discard') == 'unmap'


def test_a_multiattach_volume_is_a_shareable_disk():
    assert etree.fromstring(volume.disk_config(
        CONNECTION_INFO, '/dev/vdb').to_xml()).find('shareable') is None
    shared = dict(CONNECTION_INFO, multiattach=True)
    disk = etree.fromstring(volume.disk_config(shared, '/dev/vdb').to_xml())
    assert disk.find('shareable') is not None
    assert disk.find('driver').get('cache') == 'none'


def test_nova_conf_rbd_user_and_secret_win():
    CONF.set_override('rbd_user', 'nova', group='libvirt')
    CONF.set_override('rbd_secret_uuid', 'novas-secret', group='libvirt')
    try:
        disk = etree.fromstring(volume.disk_config(CONNECTION_INFO, '/dev/vdc').to_xml())
    finally:
        CONF.clear_override('rbd_user', group='libvirt')
        CONF.clear_override('rbd_secret_uuid', group='libvirt')
    assert disk.find('auth').get('username') == 'nova'
    assert disk.find('auth/secret').get('uuid') == 'novas-secret'


def test_other_volume_types_are_refused():
    with pytest.raises(exception.VolumeDriverNotFound):
        volume.disk_config({'driver_volume_type': 'iscsi', 'data': {}}, '/dev/vdb')


class _Domain(HotplugDomain):
    """A running domain with volume vol-1 at vdb, whose guest lets go of a disk
    after ``acks_after`` asks."""

    def __init__(self, acks_after):
        super().__init__(lambda disk: disk.find('target').get('dev'), acks_after, DOMAIN)
        self.live['vdb'] = self.persistent['vdb'] = volume.disk_config(
            CONNECTION_INFO, '/dev/vdb').to_xml()


def test_detach_asks_again_until_the_guest_lets_go(quick_detach):
    domain = _Domain(acks_after=2)
    volume.detach(RunningGuest(domain), '/dev/vdb', sleep=lambda s: None)
    assert domain.live_asks == 2
    assert 'vdb' not in domain.live and 'vdb' not in domain.persistent


def test_a_guest_that_keeps_the_disk_fails_the_detach(quick_detach):
    domain = _Domain(acks_after=99)
    with pytest.raises(exception.DeviceDetachFailed):
        volume.detach(RunningGuest(domain), '/dev/vdb', sleep=lambda s: None)
    assert domain.live_asks == 3
    assert 'vdb' in domain.live  # still in the guest: nothing pretends otherwise
    # and still in the definition a stop/start or hard reboot starts the guest from
    assert 'vdb' in domain.persistent
    assert domain.flags == [libvirt.VIR_DOMAIN_AFFECT_CONFIG]


def test_attach_goes_live_and_persistent_and_refuses_a_busy_device():
    domain = _Domain(acks_after=1)
    domain.live.clear()
    domain.persistent.clear()
    guest = RunningGuest(domain)
    volume.attach(guest, CONNECTION_INFO, '/dev/vdc')
    assert domain.flags == [libvirt.VIR_DOMAIN_AFFECT_CONFIG |
                               libvirt.VIR_DOMAIN_AFFECT_LIVE]
    with pytest.raises(exception.InvalidBDM):
        volume.attach(guest, CONNECTION_INFO, '/dev/vdc')


def test_a_root_volume_boots_first():
    from nova.virt.libvirt import config as vconfig
    disk = etree.fromstring(volume.disk_config(CONNECTION_INFO, '/dev/vda',
                                               boot_order=1).to_xml())
    assert disk.find('boot').get('order') == '1'
    assert disk.find('target').get('dev') == 'vda'
    assert vconfig.LibvirtConfigGuestOS().boot_devs == []


class _CopyingDomain(_Domain):
    """A running domain whose block copy job reaches ``ready`` after ``steps`` polls."""

    def __init__(self, steps, fail=None):
        super().__init__(acks_after=1)
        self.steps = steps
        self.fail = fail
        self.job = None
        self.calls = []

    def blockCopy(self, dev, xml, params, flags):
        self.calls.append(('copy', dev, flags))
        if self.fail:
            raise libvirt.libvirtError(self.fail)
        self.job = {'cur': 0, 'end': 100, 'xml': xml, 'dev': dev}

    def blockJobInfo(self, dev, flags):
        if self.job is None:
            return {}
        self.job['cur'] = min(100, self.job['cur'] + 100 // self.steps)
        return {'cur': self.job['cur'], 'end': self.job['end']}

    def blockJobAbort(self, dev, flags):
        self.calls.append(('abort', dev, flags))
        if flags & libvirt.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT:
            source = etree.fromstring(self.job['xml']).find('source').get('name')
            disk = etree.fromstring(self.live[dev])
            disk.find('source').set('name', source)
            self.live[dev] = etree.tostring(disk, encoding='unicode')
        self.job = None

    def updateDeviceFlags(self, xml, flags):
        self.calls.append(('update', flags))
        dev = etree.fromstring(xml).find('target').get('dev')
        self.persistent[dev] = xml

    def blockResize(self, dev, size, flags):
        self.calls.append(('resize', dev, size))


NEW_INFO = dict(CONNECTION_INFO, serial='vol-2',
                data=dict(CONNECTION_INFO['data'], name='volumes/volume-vol-2'))


def test_swap_copies_pivots_and_updates_the_persistent_disk():
    domain = _CopyingDomain(steps=3)
    volume.swap(RunningGuest(domain), NEW_INFO, '/dev/vdb', sleep=lambda s: None)
    copy, pivot = domain.calls[0], domain.calls[1]
    assert copy[:2] == ('copy', 'vdb')
    assert copy[2] & libvirt.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT
    assert copy[2] & libvirt.VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB
    assert pivot == ('abort', 'vdb', libvirt.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT)
    for disks in (domain.live, domain.persistent):
        assert 'volumes/volume-vol-2' in disks['vdb']


def test_a_larger_new_volume_is_refused_before_any_copy():
    """QEMU's mirror job fails on a target of another size (seen with RBD here)."""
    domain = _CopyingDomain(steps=1)
    with pytest.raises(exception.VolumeRebaseFailed):
        volume.swap(RunningGuest(domain), NEW_INFO, '/dev/vdb', resize_to=2 * 1024 ** 3,
                    sleep=lambda s: None)
    assert domain.calls == []


def test_a_copy_libvirt_refuses_leaves_the_old_volume():
    domain = _CopyingDomain(steps=1, fail='no block copy here')
    with pytest.raises(exception.VolumeRebaseFailed):
        volume.swap(RunningGuest(domain), NEW_INFO, '/dev/vdb', sleep=lambda s: None)
    assert 'volumes/volume-vol-1' in domain.live['vdb']
    assert 'volumes/volume-vol-1' in domain.persistent['vdb']
