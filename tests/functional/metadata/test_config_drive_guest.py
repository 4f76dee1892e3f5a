"""A real guest (the project's test image under libvirt/QEMU) reads a drive made by
nova.virt.configdrive: the ISO that nova-compute attaches is what cloud-init-like
tools actually find by its config-2 label."""

import base64

from nova import objects
from nova.virt import configdrive
from tests.fixtures import guest_image as guest_image_fixture
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tests.fixtures.waiting import wait_for

PREFIX = 'nova-test-guest:'
INSTANCE_UUID = '0b9d8f5e-7c36-4f0e-9a51-3d2c1b0a9f8e'
USER_DATA = '#!/bin/sh\necho configdrive user data\n'


def _instance():
    objects.register_all()
    # No key pairs: the guest's sed reads the last '"name":' of the document.
    return objects.Instance(
        id=7, uuid=INSTANCE_UUID, display_name='cd-guest', hostname='cd-guest',
        project_id='p1', user_id='u1', launch_index=0, availability_zone='nova',
        reservation_id='r-1', image_ref=None, kernel_id=None, ramdisk_id=None,
        root_device_name='/dev/vda', default_ephemeral_device=None,
        default_swap_device=None, key_name=None, key_data=None,
        user_data=base64.b64encode(USER_DATA.encode()).decode(), config_drive='True',
        metadata={}, system_metadata={}, keypairs=objects.KeyPairList(objects=[]),
        info_cache=None)


def test_guest_reads_iso_config_drive(guest_host, guest_image, tmp_path):  # noqa: F811
    drive = str(tmp_path / 'disk.config')
    configdrive.make_config_drive(_instance(), drive, admin_password='pw')
    with host_fixture.transient_guest(str(tmp_path), guest_host, guest_image,
                                      cdrom=drive) as (_name, log):
        wait_for(lambda: PREFIX + ' up' in host_fixture.read_console(log), timeout=150,
                 what='guest finished its init')
        console = host_fixture.read_console(log)
    assert guest_image_fixture.READY_MARKER in console
    assert '%s uuid %s' % (PREFIX, INSTANCE_UUID) in console
    assert '%s name cd-guest' % PREFIX in console
    begin = console.index(PREFIX + ' user_data begin\n') + len(PREFIX + ' user_data begin\n')
    assert console[begin:console.index(PREFIX + ' user_data end')] == USER_DATA
