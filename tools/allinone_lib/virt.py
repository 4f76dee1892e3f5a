"""The all-in-one's hypervisor: libvirt (QEMU) where a guest can run, else fake
(or, asked for, a simulated vCenter: vmware.py).

``--virt auto`` (the default) picks libvirt when tools/libvirt_host.py can
bring libvirtd up, QEMU can run a guest and the project has its libvirt
driver; otherwise the fake driver, which needs nothing.
"""

import importlib
import os
import shutil
import subprocess
import sys

from tools import libvirt_host

CHOICES = ('auto', 'libvirt', 'fake', 'vmware')
DRIVERS = {'libvirt': 'libvirt.LibvirtDriver', 'fake': 'fake.FakeDriver',
           'vmware': 'vmwareapi.VMwareVCDriver'}

# instances_path lives in [DEFAULT] (the [libvirt] group has no such option).
LIBVIRT_CONF = """
[DEFAULT]
instances_path = {instances_path}

[libvirt]
virt_type = {virt_type}
{rbd}{detach}
[vnc]
enabled = True
server_listen = 127.0.0.1
server_proxyclient_address = 127.0.0.1
novncproxy_base_url = http://127.0.0.1:{novnc_port}/vnc_lite.html
novncproxy_host = 127.0.0.1
novncproxy_port = {novnc_port}

[serial_console]
enabled = True
base_url = ws://127.0.0.1:{serial_port}/
proxyclient_address = 127.0.0.1
serialproxy_host = 127.0.0.1
serialproxy_port = {serial_port}
"""

SPICE_CONF = """
[spice]
enabled = True
html5proxy_base_url = http://127.0.0.1:{spice_port}/spice_auto.html
html5proxy_host = 127.0.0.1
html5proxy_port = {spice_port}
server_listen = 127.0.0.1
server_proxyclient_address = 127.0.0.1
"""

# The web clients the proxies serve (Debian novnc and spice-html5).
NOVNC_DIR = '/usr/share/novnc'
SPICE_HTML5_DIR = '/usr/share/spice-html5'


def libvirt_driver_missing():
    """None when nova.virt.libvirt.driver provides LibvirtDriver, else why not.

    That is where ``compute_driver = libvirt.LibvirtDriver`` loads it from.
    """
    try:
        module = importlib.import_module('nova.virt.libvirt.driver')
    except ImportError as exc:
        return 'the libvirt driver is not available (%s)' % exc
    if not hasattr(module, 'LibvirtDriver'):
        return 'nova.virt.libvirt.driver has no LibvirtDriver yet'
    return None


def ensure_libvirt_python(say):
    """libvirt-python (the project's ``libvirt`` extra) builds against libvirt-dev,
    which only --virt libvirt/auto installs; add it to the virtualenv then."""
    try:
        importlib.import_module('libvirt')
        return
    except ImportError:
        pass
    from tools.allinone_lib import steps
    steps.run('install libvirt-python into %s' % sys.prefix,
              [sys.executable, '-m', 'pip', 'install', '--disable-pip-version-check',
               'libvirt-python>=9.0'],
              'install libvirt-dev and pkg-config (apt-get install libvirt-dev pkg-config), '
              'or use --virt fake', os.path.join(sys.prefix, 'log'), check=False)
    importlib.invalidate_caches()


def libvirt_unavailable_reason():
    """None when nova-compute can run libvirt guests here (brings libvirtd up)."""
    reason = libvirt_driver_missing()
    if reason:
        return reason
    return libvirt_host.ensure_guest_host()


def choose(requested, say):
    """The virt driver to use for ``requested`` (one of CHOICES)."""
    if requested == 'fake':
        return 'fake'
    ensure_libvirt_python(say)
    reason = libvirt_unavailable_reason()
    if reason is None:
        return 'libvirt'
    if requested == 'libvirt':
        raise RuntimeError('--virt libvirt: %s' % reason)
    say('using the fake virt driver: %s' % reason)
    return 'fake'


def instances_path(state):
    return state.sub('nova', 'instances')


def compute_driver(virt):
    return DRIVERS[virt]


def conf_sections(state):
    """Extra nova.conf sections for the chosen driver ('' for fake)."""
    if state.settings.get('virt') == 'vmware':
        from tools.allinone_lib import vmware
        return vmware.conf_section(state)
    if state.settings.get('virt') != 'libvirt':
        return ''
    os.makedirs(instances_path(state), exist_ok=True)
    from tools.allinone_lib import cinder
    text = LIBVIRT_CONF.format(virt_type=libvirt_host.virt_type(),
                               rbd=cinder.nova_libvirt_options(state),
                               detach=detach_options(),
                               instances_path=instances_path(state),
                               novnc_port=state.port('nova-novncproxy'),
                               serial_port=state.port('nova-serialproxy'))
    if 'nova-spicehtml5proxy' in console_proxies(state):
        text += SPICE_CONF.format(spice_port=state.port('nova-spicehtml5proxy'))
    return text


def detach_options():
    """``NOVA_ALLINONE_DETACH_TIMEOUT=N`` (tests of a guest that ignores a detach):
    two attempts N seconds apart instead of upstream's 8 x 20 s."""
    seconds = os.environ.get('NOVA_ALLINONE_DETACH_TIMEOUT')
    if not seconds:
        return ''
    return 'device_detach_attempts = 2\ndevice_detach_timeout = %d\n' % int(seconds)


def console_proxies(state):
    """The console proxy daemons this cloud runs: none for fake guests; SPICE's
    and noVNC's only where their web clients are installed (those proxies refuse
    to start without)."""
    if state.settings.get('virt') != 'libvirt':
        return ()
    names = ('nova-serialproxy',)
    if os.path.isdir(NOVNC_DIR):
        names += ('nova-novncproxy',)
    if os.path.isdir(SPICE_HTML5_DIR):
        names += ('nova-spicehtml5proxy',)
    return names


def purge_domains(state, say):
    """Destroy and undefine the libvirt domains of this cloud's instances.

    ``down --purge`` removes the instances directory; guests still defined
    there (servers nobody deleted) would otherwise outlive their disks. Other
    domains on the same libvirtd (other clouds, tests) are left alone: only
    those with a disk under this state's instances_path are ours.
    """
    if state.settings.get('virt') != 'libvirt' or not shutil.which('virsh'):
        return []
    prefix = instances_path(state) + os.sep
    names = _virsh('list', '--all', '--name').stdout.split()
    removed = []
    for name in names:
        xml = _virsh('dumpxml', name).stdout
        if ("file='%s" % prefix) not in xml and ('file="%s' % prefix) not in xml:
            continue
        _virsh('destroy', name)
        _virsh('undefine', '--managed-save', '--nvram', name)
        say('removed domain %s' % name)
        removed.append(name)
    return removed


def _virsh(*args):
    return subprocess.run(['virsh', '-c', libvirt_host.URI, *args], capture_output=True,
                          text=True, timeout=120)
