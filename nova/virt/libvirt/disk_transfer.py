"""Copy an instance's files into another host's instance directory through that
host's libvirtd: no shell access between the hosts, only the libvirt
connection live migration uses already.

On the destination's libvirtd a directory storage pool
(``nova-move-<instance uuid>``) is defined on ``<instances_path>/<uuid>``
and built (the directory is made); each file becomes a volume of that pool
and its bytes are uploaded over the connection with ``virStorageVolUpload``
as a sparse stream (holes stay holes, so a raw disk of 20 GiB with 50 MiB
written sends 50 MiB). The pool is then undefined, the files stay.

A copy that fails takes back what it made: the volumes uploaded so far are
deleted, the directory is removed (when it was made by this copy and is
empty) and the pool undefined, so no half-copied disk is left behind.
"""

import errno
import os
from xml.sax import saxutils

from oslo_log import log as logging

from nova import exception
from nova.virt.libvirt.bindings import libvirt

LOG = logging.getLogger(__name__)

POOL_PREFIX = 'nova-move-'


def pool_name(instance_uuid):
    return POOL_PREFIX + instance_uuid


def _pool_xml(name, path):
    return ("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>"
            % (saxutils.escape(name), saxutils.escape(path)))


def _volume_xml(name, size):
    return ("<volume><name>%s</name><capacity unit='bytes'>%d</capacity>"
            "<allocation unit='bytes'>0</allocation><target><format type='raw'/>"
            "<permissions><mode>0644</mode></permissions></target></volume>"
            % (saxutils.escape(name), size))


# --- the sparse stream's callbacks (libvirt calls them with the file descriptor) ---

def _read(stream, nbytes, fd):
    return os.read(fd, nbytes)


def _section(stream, fd):
    """[in data, length] of the section that starts at the current offset."""
    cur = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        data = os.lseek(fd, cur, os.SEEK_DATA)
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
        data = -1  # only a hole up to the end of the file
    if data < 0:
        section = [False, os.lseek(fd, 0, os.SEEK_END) - cur]
    elif data > cur:
        section = [False, data - cur]
    else:
        section = [True, os.lseek(fd, data, os.SEEK_HOLE) - data]
    os.lseek(fd, cur, os.SEEK_SET)
    return section


def _skip(stream, length, fd):
    return os.lseek(fd, length, os.SEEK_CUR)


def upload(conn, volume, path):
    """Send the file at ``path`` into ``volume`` (holes kept)."""
    stream = conn.newStream(0)
    fd = os.open(path, os.O_RDONLY)
    try:
        volume.upload(stream, 0, 0, libvirt.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)
        try:
            stream.sparseSendAll(_read, _section, _skip, fd)
            stream.finish()
        except Exception:
            try:
                stream.abort()
            except libvirt.libvirtError:
                pass
            raise
    finally:
        os.close(fd)


def _drop_pool(pool, remove_dir):
    """Stop and undefine the staging pool; with ``remove_dir`` its (empty)
    directory goes too."""
    try:
        if pool.isActive():
            pool.destroy()
        if remove_dir:
            try:
                pool.delete(0)
            except libvirt.libvirtError as exc:
                LOG.warning('Could not remove the directory of pool %s: %s', pool.name(),
                            exc)
        pool.undefine()
    except libvirt.libvirtError as exc:
        LOG.warning('Could not drop the staging pool %s: %s', pool.name(), exc)


def _stale_pool(conn, name):
    """A staging pool a crashed copy left behind, dropped (its files stay)."""
    try:
        pool = conn.storagePoolLookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL:
            return
        raise
    LOG.warning('Dropping the staging pool %s a previous copy left', name)
    _drop_pool(pool, remove_dir=False)


def send_files(conn, instance_uuid, dest_dir, files):
    """Copy ``files`` ([(name, local path)]) into ``dest_dir`` on the host of ``conn``.

    Raises MigrationError (after taking back what it made) when the copy fails.
    """
    name = pool_name(instance_uuid)
    _stale_pool(conn, name)
    pool = None
    made = []
    try:
        pool = conn.storagePoolDefineXML(_pool_xml(name, dest_dir), 0)
        pool.build(0)
        pool.create(0)
        existing = set(pool.listVolumes())
        for vol_name, path in files:
            if vol_name in existing:  # left by an earlier failed copy: ours to replace
                pool.storageVolLookupByName(vol_name).delete(0)
            volume = pool.createXML(_volume_xml(vol_name, os.path.getsize(path)), 0)
            made.append(volume)
            upload(conn, volume, path)
            LOG.debug('Sent %s (%d bytes) to %s on %s', path, os.path.getsize(path),
                      dest_dir, conn.getHostname())
    except Exception as exc:
        LOG.warning('Copying the files of %s to %s failed: %s; removing what was sent',
                    instance_uuid, dest_dir, exc)
        for volume in made:
            try:
                volume.delete(0)
            except libvirt.libvirtError as del_exc:
                LOG.warning('Could not delete the half-sent %s: %s', volume.name(), del_exc)
        if pool is not None:
            _drop_pool(pool, remove_dir=True)
        if isinstance(exc, libvirt.libvirtError):
            raise exception.MigrationError(
                reason='copying the disks to the destination failed: %s' % exc) from exc
        raise
    _drop_pool(pool, remove_dir=False)
