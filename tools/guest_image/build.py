"""Build (or reuse) the nova-test-guest qcow2 image from Debian packages only.

    python -m tools.guest_image.build [--cache-dir DIR] [--force]

prints the image's path. The image is cached under ~/.cache/nova-test-guest
(or $NOVA_TEST_GUEST_CACHE) keyed by the package versions and this builder's
own source, so tests and the all-in-one reuse one build. Inputs: the Debian
packages of the cloud kernel and busybox-static (``apt-get download``,
``dpkg-deb -x``); tools: mtools, dosfstools, syslinux, qemu-img.
"""

import argparse
import contextlib
import fcntl
import glob
import gzip
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

from tools.guest_image import content

KERNEL_META_PACKAGE = 'linux-image-cloud-amd64'
BUSYBOX_PACKAGE = 'busybox-static'
IMAGE_NAME = 'nova-test-guest.qcow2'
# Room for the kernel, initrd and boot loader, with some slack (KiB).
FAT_SLACK_KIB = 2048


def cache_root():
    return os.environ.get('NOVA_TEST_GUEST_CACHE') or os.path.join(
        os.path.expanduser('~'), '.cache', 'nova-test-guest')


def _run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs).stdout


def _apt_cache(*args):
    """apt-cache, running ``apt-get update`` once if the package lists are empty."""
    try:
        out = _run(['apt-cache', *args])
        if out.strip():
            return out
    except subprocess.CalledProcessError:
        pass
    _run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', '-q', 'update'])
    return _run(['apt-cache', *args])


def kernel_package():
    """The concrete kernel package the cloud meta-package currently points at."""
    pinned = os.environ.get('NOVA_TEST_GUEST_KERNEL_PACKAGE')
    if pinned:
        return pinned
    for line in _apt_cache('depends', KERNEL_META_PACKAGE).splitlines():
        line = line.strip()
        if line.startswith('Depends:') and 'linux-image-' in line:
            return line.split(':', 1)[1].strip()
    raise RuntimeError('cannot resolve %s to a kernel package' % KERNEL_META_PACKAGE)


def package_version(name):
    for line in _apt_cache('show', '--no-all-versions', name).splitlines():
        if line.startswith('Version:'):
            return line.split(':', 1)[1].strip()
    raise RuntimeError('no version for package %s' % name)


def builder_sources_digest():
    """Hash of this builder's source files: changing the guest changes the key."""
    digest = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.endswith('.py'):
            with open(os.path.join(here, name), 'rb') as f:
                digest.update(name.encode() + b'\0' + f.read())
    return digest.hexdigest()


def build_key(packages):
    """Cache key from (package, version) pairs and the builder's sources."""
    digest = hashlib.sha256()
    for name, version in sorted(packages):
        digest.update(('%s=%s\n' % (name, version)).encode())
    digest.update(builder_sources_digest().encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_image(cache_dir=None, force=False, log=None):
    """Path of the cached image, building it first when it is missing."""
    log = log or (lambda msg: None)
    cache_dir = cache_dir or cache_root()
    packages = [(name, package_version(name)) for name in (kernel_package(), BUSYBOX_PACKAGE)]
    key = build_key(packages)
    target_dir = os.path.join(cache_dir, key)
    image = os.path.join(target_dir, IMAGE_NAME)
    with _locked(os.path.join(cache_dir, '.lock')):
        if os.path.exists(image) and not force:
            return image
        started = time.monotonic()
        log('building %s from %s' % (image, ', '.join('%s=%s' % p for p in packages)))
        with tempfile.TemporaryDirectory(prefix='nova-test-guest-') as work:
            built = build_image(work, [name for name, _ in packages])
            os.makedirs(target_dir, exist_ok=True)
            partial = image + '.partial'
            shutil.copyfile(built, partial)
            os.rename(partial, image)
        log('built %s (%d KiB) in %.1fs' % (image, os.path.getsize(image) // 1024,
                                             time.monotonic() - started))
        return image


def _fetch(work, packages):
    """apt-get download + dpkg-deb -x each package into work/root-<package>."""
    debs = os.path.join(work, 'debs')
    os.makedirs(debs)
    _run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', '-q', 'download', *packages], cwd=debs)
    roots = {}
    for name in packages:
        found = glob.glob(os.path.join(debs, '%s_*.deb' % name))
        if len(found) != 1:
            raise RuntimeError('expected one .deb for %s, found %s' % (name, found))
        root = os.path.join(work, 'root-' + name)
        _run(['dpkg-deb', '-x', found[0], root])
        roots[name] = root
    return roots


def _modules(kernel_root):
    """(module dir, {name: path}) of the extracted kernel package."""
    (moddir,) = glob.glob(os.path.join(kernel_root, 'lib', 'modules', '*'))
    paths = {}
    for path in glob.glob(os.path.join(moddir, 'kernel', '**', '*.ko'), recursive=True):
        paths[content.module_name(path)] = path
    return moddir, paths


def initrd_bytes(kernel_root, busybox_root):
    """The gzip-compressed initramfs: busybox, /init, acpid handlers, modules."""
    moddir, paths = _modules(kernel_root)
    cache = {}

    def depends_of(name):
        if name not in paths:
            return None
        if name not in cache:
            with open(paths[name], 'rb') as f:
                cache[name] = content.modinfo_depends(f.read())
        return cache[name]

    order = content.module_load_order(content.WANTED_MODULES, depends_of)
    missing = [m for m in content.WANTED_MODULES if m not in paths]
    if missing:
        # Built into this kernel, or gone: either way nothing to load.
        print('guest_image: not loadable modules (built in?): %s' % ' '.join(missing),
              file=sys.stderr)
    with open(os.path.join(busybox_root, 'bin', 'busybox'), 'rb') as f:
        busybox = f.read()
    d, x, r = stat.S_IFDIR | 0o755, stat.S_IFREG | 0o755, stat.S_IFREG | 0o644
    entries = [(name, d, b'') for name in
               ('bin', 'dev', 'etc', 'etc/acpi', 'lib', 'lib/modules', 'proc', 'sys',
                'tmp', 'run', 'mnt', 'mnt/config')]
    entries += [('bin/busybox', x, busybox), ('bin/sh', stat.S_IFLNK | 0o777, b'busybox'),
                ('init', x, content.init_script(order).encode())]
    entries.append(('etc/udhcpc.script', x, content.DHCP_SCRIPT.encode()))
    for event in content.ACPI_EVENTS:
        directory = 'etc/acpi/' + event.split('/')[0]
        entries += [(directory, d, b''),
                    ('etc/acpi/' + event, x, content.ACPI_POWER_SCRIPT.encode())]
    for name in order:
        with open(paths[name], 'rb') as f:
            entries.append(('lib/modules/%s.ko' % name, r, f.read()))
    del moddir
    return gzip.compress(content.cpio_newc(entries), compresslevel=9, mtime=0)


def build_image(work, packages):
    """Assemble the qcow2 in ``work``; returns its path."""
    kernel_pkg, busybox_pkg = packages
    roots = _fetch(work, packages)
    (vmlinuz,) = glob.glob(os.path.join(roots[kernel_pkg], 'boot', 'vmlinuz-*'))
    files = {
        content.KERNEL_NAME: open(vmlinuz, 'rb').read(),
        content.INITRD_NAME: initrd_bytes(roots[kernel_pkg], roots[busybox_pkg]),
        'syslinux.cfg': content.syslinux_cfg().encode(),
    }
    staged = os.path.join(work, 'fat')
    os.makedirs(staged)
    for name, data in files.items():
        with open(os.path.join(staged, name), 'wb') as f:
            f.write(data)
    size_kib = sum(len(data) for data in files.values()) // 1024 + FAT_SLACK_KIB
    raw = os.path.join(work, 'disk.raw')
    # A "superfloppy" FAT (no partition table): its boot sector is the disk's
    # first sector, which syslinux makes bootable; mtools writes without mounts.
    _run(['mkfs.vfat', '-C', '-n', content.DISK_LABEL, raw, str(size_kib)])
    _run(['syslinux', '--install', raw])
    _run(['mcopy', '-i', raw, *[os.path.join(staged, n) for n in files], '::/'])
    qcow2 = os.path.join(work, IMAGE_NAME)
    _run(['qemu-img', 'convert', '-f', 'raw', '-O', 'qcow2', raw, qcow2])
    return qcow2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cache-dir', help='default: %s' % cache_root())
    parser.add_argument('--force', action='store_true', help='rebuild even when cached')
    args = parser.parse_args(argv)
    image = ensure_image(args.cache_dir, args.force,
                         log=lambda msg: print('guest_image: %s' % msg, file=sys.stderr))
    print(image)


if __name__ == '__main__':
    main()
