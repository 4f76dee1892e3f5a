"""qemu-img and friends: inspect, convert, overlay and resize disk files.

Every call runs an external tool through oslo.concurrency's processutils so
failures surface as ProcessExecutionError with the tool's own message.
Images handed to us by users are inspected under resource limits (qemu-img
on a hostile file can be made to spin or balloon).
"""

import json
import os

from oslo_concurrency import processutils
from oslo_log import log as logging
from oslo_utils import units

import nova.conf
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _limits():
    return processutils.ProcessLimits(
        cpu_time=CONF.libvirt.images_cpu_time_limit,
        address_space=CONF.libvirt.images_address_space_limit * units.Gi)


def qemu_img_info(path, force_share=False):
    """``qemu-img info`` as a dict (format, virtual-size, backing-filename, ...)."""
    cmd = ['qemu-img', 'info', '--output=json']
    if force_share:
        cmd.append('-U')  # the disk may be open by a running guest
    out, _ = processutils.execute(*cmd, path, prlimit=_limits(),
                                  env_variables={'LC_ALL': 'C', 'LANG': 'C'})
    return json.loads(out)


def check_untrusted(path, image_id, declared_format=None):
    """The format of a downloaded image, refusing ones that reference other files.

    A qcow2 with a backing file or external data file could make the host
    read any file it names: such images are rejected, as is a file whose
    real format contradicts the one Glance declared (except 'raw' being
    anything the user claims is raw is impossible to tell apart).
    """
    try:
        info = qemu_img_info(path)
    except processutils.ProcessExecutionError as exc:
        raise exception.ImageUnacceptable(image_id=image_id,
                                          reason='qemu-img cannot read it: %s' % exc)
    fmt = info.get('format')
    if info.get('backing-filename') or info.get('full-backing-filename'):
        raise exception.ImageUnacceptable(image_id=image_id,
                                          reason='it has a backing file')
    data_file = (info.get('format-specific') or {}).get('data', {}).get('data-file')
    if data_file:
        raise exception.ImageUnacceptable(image_id=image_id,
                                          reason='it has an external data file')
    if declared_format in ('qcow2', 'vmdk', 'vdi', 'vhd', 'vhdx') and fmt != declared_format:
        if not (declared_format == 'vhd' and fmt == 'vpc'):
            raise exception.ImageUnacceptable(
                image_id=image_id,
                reason='its disk_format is %s but its data is %s' % (declared_format, fmt))
    return fmt


def convert(source, dest, out_format='raw', in_format=None, compress=False,
            force_share=False):
    cmd = ['qemu-img', 'convert', '-O', out_format]
    if in_format:
        cmd += ['-f', in_format]
    if compress and out_format == 'qcow2':
        cmd.append('-c')
    if force_share:
        cmd.append('-U')
    processutils.execute(*cmd, source, dest)


def create_overlay(backing_file, backing_format, path, size_bytes=None):
    """A qcow2 file whose unwritten clusters read from ``backing_file``."""
    cmd = ['qemu-img', 'create', '-f', 'qcow2', '-b', backing_file, '-F', backing_format]
    if CONF.preallocate_images == 'space':
        cmd += ['-o', 'preallocation=metadata']
    cmd.append(path)
    if size_bytes:
        cmd.append(str(size_bytes))
    processutils.execute(*cmd)


def rebase_unsafe(path, backing_file, backing_format):
    """Point a qcow2 file at ``backing_file`` (the same data under another path)."""
    processutils.execute('qemu-img', 'rebase', '-u', '-b', backing_file,
                         '-F', backing_format, path)


def create_blank(path, size_bytes, disk_format='raw'):
    processutils.execute('qemu-img', 'create', '-f', disk_format, path, str(size_bytes))


def resize(path, size_bytes, disk_format):
    """Grow a disk file to ``size_bytes`` (never shrinks)."""
    processutils.execute('qemu-img', 'resize', '-f', disk_format, path, str(size_bytes))


def virtual_size(path):
    return int(qemu_img_info(path, force_share=True)['virtual-size'])


def copy_sparse(source, dest):
    processutils.execute('cp', '--sparse=always', source, dest)


def mkfs(path, fs_type, label=None):
    """Put a file system (or swap signature) on a raw disk file."""
    if fs_type == 'swap':
        processutils.execute('mkswap', path)
        return
    cmd = ['mkfs', '-t', fs_type]
    if fs_type.startswith('ext'):
        cmd.append('-F')
        if label:
            cmd += ['-L', label]
    elif fs_type == 'vfat' and label:
        cmd += ['-n', label]
    processutils.execute(*cmd, path)


def disk_usage_bytes(path):
    """Bytes actually allocated to a (possibly sparse) file."""
    return os.stat(path).st_blocks * 512
