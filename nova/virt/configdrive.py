"""Config drives: the instance's metadata tree on a small disk the guest reads at boot.

An ISO 9660 image (Rock Ridge + Joliet) made by ``[DEFAULT] mkisofs_cmd``,
or, with ``config_drive_format = vfat``, a 64 MiB FAT image filled with
mtools (no mount, no root).  Either way the volume label is ``config-2``,
which is how cloud-init finds it.
"""

import os
import shutil
import subprocess
import tempfile

from oslo_log import log as logging

from nova.api.metadata import base as instance_metadata
import nova.conf
from nova import exception
from nova import version

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

VOLUME_LABEL = 'config-2'
VFAT_SIZE_BYTES = 64 * 1024 * 1024
_FALSE_STRINGS = ('', '0', 'false', 'no', 'off', 'none')


def _truthy(value):
    """The instance's config_drive column holds 'True' / '' (or, long ago, an image id)."""
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_STRINGS
    return bool(value)


def required_by(instance):
    """Does this instance get a config drive?"""
    if CONF.force_config_drive:
        return True
    if _truthy(instance.config_drive):
        return True
    sys_meta = instance.system_metadata or {}
    return sys_meta.get('image_img_config_drive') == 'mandatory'


def update_instance(instance):
    """Record on the instance that it has a drive when config or its image forced one.

    Server show then says ``config_drive: "True"`` as upstream does; the
    caller saves the instance.
    """
    if required_by(instance) and not _truthy(instance.config_drive):
        instance.config_drive = 'True'


def _run(argv):
    """Run a helper program; its failure becomes a ConfigDriveError with its stderr."""
    try:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                check=False)
    except OSError as error:
        raise _error('cannot run %s: %s' % (argv[0], error))
    if result.returncode != 0:
        raise _error('%s exited with %d: %s' % (
            argv[0], result.returncode,
            result.stderr.decode('utf-8', 'replace').strip()))


def _error(reason):
    return exception.ConfigDriveError(reason=reason)


def _write_tree(metadata, root):
    for relative, data in metadata.metadata_for_config_drive():
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'wb') as handle:
            handle.write(data)


def _make_iso(source, path):
    publisher = '%s %s' % (version.NOVA_PRODUCT, version.version_string())
    _run([CONF.mkisofs_cmd, '-o', path, '-ldots', '-allow-lowercase',
          '-allow-multidot', '-l', '-publisher', publisher, '-quiet', '-J', '-r',
          '-V', VOLUME_LABEL, source])


def _make_vfat(source, path):
    with open(path, 'wb') as handle:
        handle.truncate(VFAT_SIZE_BYTES)
    _run(['mkfs.vfat', '-n', VOLUME_LABEL, path])
    entries = [os.path.join(source, name) for name in sorted(os.listdir(source))]
    if entries:
        _run(['mcopy', '-o', '-s', '-i', path] + entries + ['::/'])


def make_config_drive(instance, path, injected_files=None, admin_password=None,
                      network_info=None, request_context=None):
    """Write the config drive of ``instance`` to ``path`` (replacing any file there).

    ``injected_files`` are (path, content) pairs from the boot request.
    """
    extra_md = {'admin_pass': admin_password} if admin_password else {}
    metadata = instance_metadata.InstanceMetadata(
        instance, content=injected_files, extra_md=extra_md,
        network_info=network_info, request_context=request_context)
    workdir = tempfile.mkdtemp(prefix='configdrive-')
    try:
        source = os.path.join(workdir, 'tree')
        os.mkdir(source)
        _write_tree(metadata, source)
        partial = os.path.join(workdir, 'drive')
        if CONF.config_drive_format == 'vfat':
            _make_vfat(source, partial)
        else:
            _make_iso(source, partial)
        shutil.move(partial, path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    LOG.info('Config drive of instance %s written to %s (%s)',
             instance.uuid, path, CONF.config_drive_format)
