"""Disk image files through real qemu-img on tiny files: images that would make the
host read other files (a backing file, an external data file) or that are not what
Glance says refused, overlays on a base, growing, formats, sparse copies."""

import subprocess

import pytest

from nova import exception
from nova.virt.libvirt import images

MiB = 1024 * 1024


def _qemu_img(*args):
    subprocess.run(['qemu-img', *args], check=True, capture_output=True)


@pytest.fixture
def base(tmp_path):
    path = tmp_path / 'base.qcow2'
    _qemu_img('create', '-q', '-f', 'qcow2', str(path), '16M')
    return str(path)


def test_a_plain_image_is_accepted_with_its_format(base):
    assert images.check_untrusted(base, 'img', 'qcow2') == 'qcow2'
    assert images.check_untrusted(base, 'img', None) == 'qcow2'
    # 'raw' cannot be told apart from anything a user calls raw: not checked.
    assert images.check_untrusted(base, 'img', 'raw') == 'qcow2'


def test_an_image_that_is_not_its_declared_format_is_refused(base):
    with pytest.raises(exception.ImageUnacceptable) as err:
        images.check_untrusted(base, 'img', 'vmdk')
    assert 'its disk_format is vmdk but its data is qcow2' in err.value.format_message()


def test_an_image_with_a_backing_file_is_refused(base, tmp_path):
    overlay = str(tmp_path / 'overlay.qcow2')
    images.create_overlay(base, 'qcow2', overlay)
    with pytest.raises(exception.ImageUnacceptable) as err:
        images.check_untrusted(overlay, 'img', 'qcow2')
    assert 'backing file' in err.value.format_message()


def test_an_image_with_an_external_data_file_is_refused(tmp_path):
    path = tmp_path / 'external.qcow2'
    _qemu_img('create', '-q', '-f', 'qcow2', '-o',
              'data_file=%s' % (tmp_path / 'data.raw'), str(path), '1M')
    with pytest.raises(exception.ImageUnacceptable) as err:
        images.check_untrusted(str(path), 'img', 'qcow2')
    assert 'external data file' in err.value.format_message()


def test_an_unreadable_image_is_refused(tmp_path):
    with pytest.raises(exception.ImageUnacceptable):
        images.check_untrusted(str(tmp_path / 'missing'), 'img')


def test_an_overlay_reads_from_its_base_and_grows(base, tmp_path):
    overlay = str(tmp_path / 'disk')
    images.create_overlay(base, 'qcow2', overlay, 32 * MiB)
    info = images.qemu_img_info(overlay)
    assert info['backing-filename'] == base and info['virtual-size'] == 32 * MiB
    images.resize(overlay, 64 * MiB, 'qcow2')
    assert images.virtual_size(overlay) == 64 * MiB


def test_conversion_and_blank_disks(base, tmp_path):
    raw = str(tmp_path / 'disk.raw')
    images.convert(base, raw, 'raw', in_format='qcow2')
    assert images.qemu_img_info(raw)['format'] == 'raw'
    blank = str(tmp_path / 'blank')
    images.create_blank(blank, 8 * MiB)
    assert images.virtual_size(blank) == 8 * MiB
    copy = str(tmp_path / 'copy')
    images.copy_sparse(blank, copy)
    assert images.disk_usage_bytes(copy) < 8 * MiB  # holes stay holes


def test_a_swap_disk_gets_a_swap_signature(tmp_path):
    swap = str(tmp_path / 'swap')
    images.create_blank(swap, 8 * MiB)
    images.mkfs(swap, 'swap')
    with open(swap, 'rb') as f:
        f.seek(4096 - 10)
        assert f.read(10) == b'SWAPSPACE2'
