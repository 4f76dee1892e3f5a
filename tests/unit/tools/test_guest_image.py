"""The test guest builder's pure pieces: init script, boot loader config, initrd format."""

import gzip
import os
import stat
import shutil
import subprocess

import pytest

from tools.guest_image import build
from tools.guest_image import content


def test_init_script_loads_modules_in_order_then_prints_marker():
    script = content.init_script(['libata', 'ata_piix', 'button'])
    assert script.startswith('#!/bin/busybox sh\n')
    assert 'for m in libata ata_piix button; do' in script
    assert script.index('insmod') < script.index('echo "nova-test-guest: ready"')
    # acpid must run before the marker: tests send ACPI shutdowns once they see it.
    assert script.index('acpid -c /etc/acpi') < script.index('nova-test-guest: ready')
    assert 'findfs LABEL=config-2' in script
    assert 'openstack/latest/meta_data.json' in script
    assert 'openstack/latest/user_data' in script
    # then it keeps printing its block devices whenever they change (volumes)
    assert script.index('"nova-test-guest: up"') < script.index('ls /sys/block')
    assert 'echo "%s $now"' % content.DISKS_MARKER in script
    assert 'echo "%s$sizes"' % content.SIZES_MARKER in script
    assert 'cat /sys/block/$d/size' in script
    assert 'echo "%s $(cut -d\' \' -f1 /proc/uptime)"' % content.UPTIME_MARKER in script


def test_init_script_is_valid_shell():
    if shutil.which('sh') is None:
        pytest.skip('no sh')
    subprocess.run(['sh', '-n'], input=content.init_script(['virtio_pci']), text=True,
                   check=True)


def test_syslinux_cfg_boots_kernel_with_serial_console():
    cfg = content.syslinux_cfg()
    lines = [line.strip() for line in cfg.splitlines()]
    assert 'DEFAULT nova' in lines
    assert 'KERNEL vmlinuz' in lines
    assert 'INITRD initrd.gz' in lines
    append = [line for line in lines if line.startswith('APPEND ')][0]
    # The last console= is /dev/console, which is what the console log records.
    assert append.split()[-1].startswith('console=ttyS0')


def test_acpi_handler_powers_off():
    assert 'poweroff -f' in content.ACPI_POWER_SCRIPT
    assert content.ACPI_EVENTS == ('PWRF/00000080', 'PWRB/00000080')


def test_modinfo_depends():
    data = b'\x7fELF junk\0license=GPL\0depends=libata,scsi_mod\0vermagic=6.1\0'
    assert content.modinfo_depends(data) == ['libata', 'scsi_mod']
    assert content.modinfo_depends(b'license=GPL\0depends=\0') == []
    assert content.modinfo_depends(b'nothing here') == []


def test_module_load_order_puts_dependencies_first_and_skips_missing():
    deps = {'ata_piix': ['libata'], 'libata': ['scsi_mod'], 'scsi_mod': ['scsi_common'],
            'scsi_common': [], 'sr_mod': ['cdrom', 'scsi_mod'], 'cdrom': []}
    order = content.module_load_order(['ata_piix', 'sr_mod', 'builtin_thing'], deps.get)
    assert order == ['scsi_common', 'scsi_mod', 'libata', 'ata_piix', 'cdrom', 'sr_mod']


def test_module_load_order_detects_cycles():
    deps = {'a': ['b'], 'b': ['a']}
    with pytest.raises(ValueError, match='cycle'):
        content.module_load_order(['a'], deps.get)


def test_module_name():
    assert content.module_name('/x/kernel/drivers/char/hw_random/virtio-rng.ko') == 'virtio_rng'
    assert content.module_name('isofs.ko.xz') == 'isofs'


def test_cpio_newc_round_trips_through_cpio(tmp_path):
    if shutil.which('cpio') is None:
        pytest.skip('cpio is not installed')
    archive = content.cpio_newc([
        ('bin', stat.S_IFDIR | 0o755, b''),
        ('bin/tool', stat.S_IFREG | 0o755, b'#!/bin/sh\necho hi\n'),
        ('bin/link', stat.S_IFLNK | 0o777, b'tool'),
        ('odd', stat.S_IFREG | 0o644, b'abc'),
    ])
    assert len(archive) % 4 == 0
    subprocess.run(['cpio', '-id', '--quiet'], input=archive, cwd=tmp_path, check=True)
    assert (tmp_path / 'bin' / 'tool').read_bytes() == b'#!/bin/sh\necho hi\n'
    assert os.access(tmp_path / 'bin' / 'tool', os.X_OK)
    assert os.readlink(tmp_path / 'bin' / 'link') == 'tool'
    assert (tmp_path / 'odd').read_bytes() == b'abc'


def test_cpio_newc_is_deterministic():
    entries = [('init', stat.S_IFREG | 0o755, b'x')]
    assert gzip.compress(content.cpio_newc(entries), mtime=0) == \
        gzip.compress(content.cpio_newc(entries), mtime=0)


def test_build_key_depends_on_versions():
    a = build.build_key([('linux-image-x', '1'), ('busybox-static', '2')])
    b = build.build_key([('busybox-static', '2'), ('linux-image-x', '1')])
    c = build.build_key([('linux-image-x', '1.1'), ('busybox-static', '2')])
    assert a == b
    assert a != c


def test_cache_root_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv('NOVA_TEST_GUEST_CACHE', str(tmp_path))
    assert build.cache_root() == str(tmp_path)


def test_nics_get_an_address_by_dhcp_then_ask_the_metadata_service():
    script = content.init_script(['virtio_net'])
    assert 'udhcpc -i "$n" -s /etc/udhcpc.script' in script
    assert 'GET /openstack/latest/meta_data.json HTTP/1.0' in script
    # Not busybox's wget: linked statically, it crashes in a guest without /etc.
    assert 'nc -w 10 169.254.169.254 80' in script and 'wget -' not in script
    assert script.index('udhcpc') < script.index('169.254.169.254') < script.index(
        content.PREFIX + ' up')
    subprocess.run(['sh', '-n'], input=content.DHCP_SCRIPT, text=True, check=True)
    # Option 121 routes (OVN's route to the metadata address) are installed.
    assert '$staticroutes' in content.DHCP_SCRIPT
