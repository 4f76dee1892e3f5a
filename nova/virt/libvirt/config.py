"""Libvirt domain XML, one small class per element kind.

Each class holds plain attributes and renders itself with ``format_dom()``
(an ElementTree element) or ``to_xml()`` (a string). The driver builds a
``LibvirtConfigGuest`` and hands its XML to libvirt; nothing here talks to
libvirt, so every class is testable against XML strings.
"""

from xml.etree import ElementTree as etree

NOVA_NS = 'http://openstack.org/xmlns/libvirt/nova/1.1'


def _sub(parent, tag, text=None, **attrs):
    """A child element with string attributes (None values are left out)."""
    node = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()
                                          if v is not None})
    if text is not None:
        node.text = str(text)
    return node


class LibvirtConfigObject(object):
    root_name = None

    def _new_node(self, **attrs):
        return etree.Element(self.root_name, {k: str(v) for k, v in attrs.items()
                                              if v is not None})

    def format_dom(self):
        return self._new_node()

    def to_xml(self, pretty_print=True):
        root = self.format_dom()
        if pretty_print:
            etree.indent(root)
        return etree.tostring(root, encoding='unicode')


# --- devices -------------------------------------------------------------------

class LibvirtConfigGuestDisk(LibvirtConfigObject):
    """A file-backed disk or cdrom."""

    root_name = 'disk'

    def __init__(self, source_path=None, target_dev=None, target_bus='virtio',
                 driver_format='qcow2', source_device='disk', driver_cache='none',
                 readonly=False, serial=None, boot_order=None, driver_discard=None):
        self.source_type = 'file'
        self.source_device = source_device
        self.source_path = source_path
        self.target_dev = target_dev
        self.target_bus = target_bus
        self.driver_name = 'qemu'
        self.driver_format = driver_format
        self.driver_cache = driver_cache
        self.driver_discard = driver_discard
        self.readonly = readonly
        self.serial = serial
        self.boot_order = boot_order

    def format_dom(self):
        disk = self._new_node(type=self.source_type, device=self.source_device)
        _sub(disk, 'driver', name=self.driver_name, type=self.driver_format,
             cache=self.driver_cache, discard=self.driver_discard)
        _sub(disk, 'source', file=self.source_path)
        _sub(disk, 'target', dev=self.target_dev, bus=self.target_bus)
        if self.readonly:
            _sub(disk, 'readonly')
        if self.serial:
            _sub(disk, 'serial', self.serial)
        if self.boot_order is not None:
            _sub(disk, 'boot', order=self.boot_order)
        return disk


class LibvirtConfigGuestInterface(LibvirtConfigObject):
    """A NIC: 'bridge' (optionally an Open vSwitch port), 'ethernet' tap or 'network'."""

    root_name = 'interface'

    def __init__(self, net_type='bridge', mac_addr=None, model='virtio', source_dev=None,
                 target_dev=None, vporttype=None, interfaceid=None, mtu=None):
        self.net_type = net_type
        self.mac_addr = mac_addr
        self.model = model
        self.source_dev = source_dev
        self.target_dev = target_dev
        self.vporttype = vporttype
        self.interfaceid = interfaceid
        self.mtu = mtu

    def format_dom(self):
        dev = self._new_node(type=self.net_type)
        if self.mac_addr:
            _sub(dev, 'mac', address=self.mac_addr)
        if self.net_type == 'bridge' and self.source_dev:
            _sub(dev, 'source', bridge=self.source_dev)
        elif self.net_type == 'network' and self.source_dev:
            _sub(dev, 'source', network=self.source_dev)
        if self.target_dev:
            _sub(dev, 'target', dev=self.target_dev)
        if self.model:
            _sub(dev, 'model', type=self.model)
        if self.vporttype:
            vport = _sub(dev, 'virtualport', type=self.vporttype)
            if self.interfaceid:
                _sub(vport, 'parameters', interfaceid=self.interfaceid)
        if self.mtu:
            _sub(dev, 'mtu', size=self.mtu)
        return dev


class LibvirtConfigGuestCharDevice(LibvirtConfigObject):
    """A serial port or console: 'pty', 'tcp' (bound for the serial proxy) or 'file'.

    ``log_file`` makes virtlogd keep the output, which is how the console
    log survives the guest and how ``get_console_output`` reads it.
    """

    root_name = 'serial'

    def __init__(self, char_type='pty', target_port=None, target_type=None, listen_host=None,
                 listen_port=None, source_path=None, log_file=None, log_append=False):
        self.char_type = char_type
        self.target_port = target_port
        self.target_type = target_type
        self.listen_host = listen_host
        self.listen_port = listen_port
        self.source_path = source_path
        self.log_file = log_file
        self.log_append = log_append

    def format_dom(self):
        dev = self._new_node(type=self.char_type)
        if self.char_type == 'tcp':
            _sub(dev, 'source', mode='bind', host=self.listen_host, service=self.listen_port)
            _sub(dev, 'protocol', type='raw')
        elif self.char_type == 'file':
            _sub(dev, 'source', path=self.source_path)
        if self.log_file:
            _sub(dev, 'log', file=self.log_file, append='on' if self.log_append else 'off')
        if self.target_port is not None or self.target_type:
            _sub(dev, 'target', type=self.target_type, port=self.target_port)
        return dev


class LibvirtConfigGuestSerial(LibvirtConfigGuestCharDevice):
    root_name = 'serial'


class LibvirtConfigGuestConsole(LibvirtConfigGuestCharDevice):
    root_name = 'console'


class LibvirtConfigGuestGraphics(LibvirtConfigObject):
    """A VNC or SPICE server, port chosen by libvirt (autoport)."""

    root_name = 'graphics'

    def __init__(self, graphics_type='vnc', listen=None, keymap=None, autoport=True):
        self.type = graphics_type
        self.listen = listen
        self.keymap = keymap
        self.autoport = autoport

    def format_dom(self):
        dev = self._new_node(type=self.type, autoport='yes' if self.autoport else 'no',
                             keymap=self.keymap)
        if self.listen:
            _sub(dev, 'listen', type='address', address=self.listen)
        return dev


class LibvirtConfigGuestVideo(LibvirtConfigObject):
    root_name = 'video'

    def __init__(self, model='virtio', vram=None, heads=None):
        self.model = model
        self.vram = vram
        self.heads = heads

    def format_dom(self):
        dev = self._new_node()
        _sub(dev, 'model', type=self.model, vram=self.vram, heads=self.heads)
        return dev


class LibvirtConfigGuestInput(LibvirtConfigObject):
    """A pointer device; a USB tablet keeps the VNC cursor in step."""

    root_name = 'input'

    def __init__(self, input_type='tablet', bus='usb'):
        self.type = input_type
        self.bus = bus

    def format_dom(self):
        return self._new_node(type=self.type, bus=self.bus)


class LibvirtConfigMemoryBalloon(LibvirtConfigObject):
    root_name = 'memballoon'

    def __init__(self, model='virtio', period=None):
        self.model = model
        self.period = period

    def format_dom(self):
        dev = self._new_node(model=self.model)
        if self.period:
            _sub(dev, 'stats', period=self.period)
        return dev


class LibvirtConfigGuestRng(LibvirtConfigObject):
    root_name = 'rng'

    def __init__(self, backend='/dev/urandom', model='virtio', rate_bytes=None,
                 rate_period=None):
        self.backend = backend
        self.model = model
        self.rate_bytes = rate_bytes
        self.rate_period = rate_period

    def format_dom(self):
        dev = self._new_node(model=self.model)
        if self.rate_bytes:
            _sub(dev, 'rate', bytes=self.rate_bytes, period=self.rate_period)
        _sub(dev, 'backend', self.backend, model='random')
        return dev


# --- domain-level parts ---------------------------------------------------------

class LibvirtConfigGuestOS(LibvirtConfigObject):
    """<os>: machine type, optional direct kernel boot, boot order, SMBIOS mode."""

    root_name = 'os'

    def __init__(self, os_type='hvm', arch=None, machine=None, kernel=None, initrd=None,
                 cmdline=None, boot_devs=None, smbios_mode=None, boot_menu=None):
        self.os_type = os_type
        self.arch = arch
        self.machine = machine
        self.kernel = kernel
        self.initrd = initrd
        self.cmdline = cmdline
        self.boot_devs = list(boot_devs or [])
        self.smbios_mode = smbios_mode
        self.boot_menu = boot_menu

    def format_dom(self):
        node = self._new_node()
        _sub(node, 'type', self.os_type, arch=self.arch, machine=self.machine)
        if self.kernel:
            _sub(node, 'kernel', self.kernel)
        if self.initrd:
            _sub(node, 'initrd', self.initrd)
        if self.cmdline:
            _sub(node, 'cmdline', self.cmdline)
        for dev in self.boot_devs:
            _sub(node, 'boot', dev=dev)
        if self.boot_menu is not None:
            _sub(node, 'bootmenu', enable='yes' if self.boot_menu else 'no')
        if self.smbios_mode:
            _sub(node, 'smbios', mode=self.smbios_mode)
        return node


class LibvirtConfigGuestFeatures(LibvirtConfigObject):
    """<features> as a list of empty flags (acpi, apic, pae, ...)."""

    root_name = 'features'

    def __init__(self, names=('acpi', 'apic')):
        self.names = list(names)

    def format_dom(self):
        node = self._new_node()
        for name in self.names:
            _sub(node, name)
        return node


class LibvirtConfigGuestCPU(LibvirtConfigObject):
    """<cpu>: host-model, host-passthrough, or a named model with extra flags."""

    root_name = 'cpu'

    def __init__(self, mode=None, model=None, features=None, sockets=None, cores=None,
                 threads=None):
        self.mode = mode
        self.model = model
        self.features = list(features or [])
        self.sockets = sockets
        self.cores = cores
        self.threads = threads

    def format_dom(self):
        node = self._new_node(mode=self.mode, match='exact' if self.model else None)
        if self.model:
            _sub(node, 'model', self.model, fallback='allow')
        if self.sockets:
            _sub(node, 'topology', sockets=self.sockets, dies=1, cores=self.cores or 1,
                 threads=self.threads or 1)
        for name in self.features:
            _sub(node, 'feature', policy='require', name=name)
        return node


class LibvirtConfigGuestClock(LibvirtConfigObject):
    root_name = 'clock'

    def __init__(self, offset='utc', timers=None):
        self.offset = offset
        self.timers = list(timers or [])  # (name, attrs dict)

    def format_dom(self):
        node = self._new_node(offset=self.offset)
        for name, attrs in self.timers:
            _sub(node, 'timer', name=name, **attrs)
        return node


class LibvirtConfigGuestSysinfo(LibvirtConfigObject):
    """SMBIOS system strings; cloud-init recognises 'OpenStack Nova' here."""

    root_name = 'sysinfo'

    def __init__(self, manufacturer=None, product=None, version=None, serial=None,
                 uuid=None, family=None):
        self.system = [('manufacturer', manufacturer), ('product', product),
                       ('version', version), ('serial', serial), ('uuid', uuid),
                       ('family', family)]

    def format_dom(self):
        node = self._new_node(type='smbios')
        system = _sub(node, 'system')
        for name, value in self.system:
            if value is not None:
                _sub(system, 'entry', value, name=name)
        return node


class LibvirtConfigGuestMetaNova(LibvirtConfigObject):
    """Nova's own metadata in the domain (instance name, flavor, owner)."""

    root_name = '{%s}instance' % NOVA_NS

    def __init__(self, name=None, creation_time=None, flavor=None, owner_user=None,
                 owner_project=None, package='nova'):
        self.name = name
        self.creation_time = creation_time
        self.flavor = flavor or {}
        self.owner_user = owner_user
        self.owner_project = owner_project
        self.package = package

    def format_dom(self):
        ns = '{%s}' % NOVA_NS
        node = self._new_node()
        _sub(node, ns + 'package', version=self.package)
        if self.name is not None:
            _sub(node, ns + 'name', self.name)
        if self.creation_time is not None:
            _sub(node, ns + 'creationTime', self.creation_time)
        if self.flavor:
            flavor = _sub(node, ns + 'flavor', name=self.flavor.get('name'))
            for key in ('memory', 'disk', 'swap', 'ephemeral', 'vcpus'):
                if key in self.flavor:
                    _sub(flavor, ns + key, self.flavor[key])
        if self.owner_user or self.owner_project:
            owner = _sub(node, ns + 'owner')
            if self.owner_user:
                _sub(owner, ns + 'user', uuid=self.owner_user)
            if self.owner_project:
                _sub(owner, ns + 'project', uuid=self.owner_project)
        return node


class LibvirtConfigGuest(LibvirtConfigObject):
    """The whole <domain>."""

    root_name = 'domain'

    def __init__(self, virt_type='qemu', name=None, uuid=None, memory_kib=0, vcpus=1):
        self.virt_type = virt_type
        self.name = name
        self.uuid = uuid
        self.memory_kib = memory_kib
        self.vcpus = vcpus
        self.metadata = []
        self.sysinfo = None
        self.os = LibvirtConfigGuestOS()
        self.features = None
        self.cpu = None
        self.clock = None
        self.on_poweroff = 'destroy'
        self.on_reboot = 'restart'
        self.on_crash = 'destroy'
        self.emulator = None
        self.devices = []

    def add_device(self, device):
        self.devices.append(device)
        return device

    def format_dom(self):
        etree.register_namespace('nova', NOVA_NS)
        root = self._new_node(type=self.virt_type)
        _sub(root, 'name', self.name)
        _sub(root, 'uuid', self.uuid)
        if self.metadata:
            meta = _sub(root, 'metadata')
            for item in self.metadata:
                meta.append(item.format_dom())
        _sub(root, 'memory', self.memory_kib, unit='KiB')
        _sub(root, 'currentMemory', self.memory_kib, unit='KiB')
        _sub(root, 'vcpu', self.vcpus)
        if self.sysinfo is not None:
            root.append(self.sysinfo.format_dom())
        root.append(self.os.format_dom())
        if self.features is not None:
            root.append(self.features.format_dom())
        if self.cpu is not None:
            root.append(self.cpu.format_dom())
        if self.clock is not None:
            root.append(self.clock.format_dom())
        _sub(root, 'on_poweroff', self.on_poweroff)
        _sub(root, 'on_reboot', self.on_reboot)
        _sub(root, 'on_crash', self.on_crash)
        devices = _sub(root, 'devices')
        if self.emulator:
            _sub(devices, 'emulator', self.emulator)
        for dev in self.devices:
            devices.append(dev.format_dom())
        return root
