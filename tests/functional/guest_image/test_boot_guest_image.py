"""The test guest boots under plain libvirt (QEMU/TCG) as a disk image.

No Nova here: these prove the image itself, so the libvirt driver's tests can
rely on its markers. One boot with a config drive covers the marker, the
config drive output and the ACPI power button; one without covers the
"no config drive" path.
"""

import uuid

from tests.fixtures import guest_image as guest_image_fixture
from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.guest_image import guest_image  # noqa: F401 (pytest fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tests.fixtures.waiting import wait_for

PREFIX = 'nova-test-guest:'


def _console_has(path, text):
    return text in host_fixture.read_console(path)


def test_boots_reads_config_drive_and_powers_off(guest_host, guest_image, tmp_path):  # noqa: F811
    instance_uuid = str(uuid.uuid4())
    user_data = '#!/bin/sh\necho user data line %s\n' % instance_uuid[:8]
    iso = guest_image_fixture.make_config_drive(str(tmp_path / 'disk.config'), instance_uuid,
                                                user_data)
    with host_fixture.transient_guest(str(tmp_path), guest_host, guest_image,
                                      cdrom=iso) as (name, log):
        wait_for(lambda: _console_has(log, guest_image_fixture.READY_MARKER), timeout=120,
                 what='ready marker on the serial console')
        wait_for(lambda: _console_has(log, PREFIX + ' up'), timeout=60,
                 what='config drive read')
        console = host_fixture.read_console(log)
        assert '%s uuid %s' % (PREFIX, instance_uuid) in console
        begin = console.index(PREFIX + ' user_data begin\n') + len(PREFIX + ' user_data begin\n')
        end = console.index(PREFIX + ' user_data end')
        assert console[begin:end] == user_data

        # An ACPI shutdown is lost if it arrives before acpid runs; acpid starts
        # before the ready marker, so one request is enough now.
        host_fixture.virsh('shutdown', name)
        wait_for(lambda: host_fixture.domain_state(name) == 'shut off', timeout=60,
                 what='guest powered off after the ACPI power button')
        assert PREFIX + ' power button, powering off' in host_fixture.read_console(log)


def test_boots_without_config_drive(guest_host, guest_image, tmp_path):  # noqa: F811
    with host_fixture.transient_guest(str(tmp_path), guest_host, guest_image) as (name, log):
        wait_for(lambda: _console_has(log, PREFIX + ' up'), timeout=150,
                 what='guest finished its init')
        console = host_fixture.read_console(log)
        assert guest_image_fixture.READY_MARKER in console
        assert PREFIX + ' no config drive' in console
        assert host_fixture.domain_state(name) == 'running'
