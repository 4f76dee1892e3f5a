"""Consoles and diagnostics of VMware guests (a mixin of VMwareVCDriver).

Console output exists where guests' serial ports go to a virtual serial port
concentrator (``[vmware] serial_port_service_uri``), which logs each VM's
output to ``[vmware] serial_log_dir/<instance uuid>``. VNC consoles are the
ESXi host's built-in VNC server on the port ``[vmware] vnc_port`` +
n given to the VM at spawn.
"""

import os

from oslo_log import log as logging

import nova.conf
from nova.compute import power_state
from nova.console import type as ctype
from nova import exception
from nova.virt.vmwareapi import vmops
from nova.virt.vmwareapi import vmspec

try:
    from pyVmomi import vim
except ImportError:
    vim = None

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

MAX_CONSOLE_BYTES = 100 * 1024


class ConsoleMixin(object):
    def get_console_output(self, context, instance):
        if not CONF.vmware.serial_port_service_uri:
            raise exception.ConsoleOutputNotAvailable()
        self.vmops.get_vm(instance)
        path = os.path.join(CONF.vmware.serial_log_dir, instance.uuid)
        try:
            with open(path, 'rb') as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - MAX_CONSOLE_BYTES))
                return f.read()
        except FileNotFoundError:
            raise exception.ConsoleOutputNotAvailable()

    # --- VNC ----------------------------------------------------------------------
    def _used_vnc_ports(self):
        _vms, props = self.vmops.cluster_vms()
        used = set()
        for p in props.values():
            for option in p.get('config.extraConfig') or []:
                if option.key == vmspec.VNC_PORT_KEY:
                    used.add(int(option.value))
        return used

    def allocate_vnc_port(self):
        """A free port of vnc_port .. vnc_port + vnc_port_total - 1 (None: VNC off)."""
        if not CONF.vnc.enabled:
            return None
        used = self._used_vnc_ports()
        for port in range(CONF.vmware.vnc_port,
                          CONF.vmware.vnc_port + CONF.vmware.vnc_port_total):
            if port not in used:
                return port
        raise exception.SocketPortRangeExhaustedException(host=self.cluster.name)

    def get_vnc_console(self, context, instance):
        _vm, props = self.vmops.vm_props(instance, ['config.extraConfig', 'runtime.host'])
        port = next((int(o.value) for o in props.get('config.extraConfig') or []
                     if o.key == vmspec.VNC_PORT_KEY), None)
        host = props.get('runtime.host')
        if port is None or host is None:
            raise exception.ConsoleTypeUnavailable(console_type='vnc')
        host_name = self.session.props(host, ['name'])['name']
        return ctype.ConsoleVNC(host=host_name, port=port)

    # --- diagnostics ---------------------------------------------------------------------
    _DIAG_PATHS = ['summary.quickStats', 'summary.config', 'runtime.powerState',
                   'config.hardware.device']

    def get_diagnostics(self, instance):
        """vCenter's quick statistics of the VM, flattened (the legacy free-form dict)."""
        _vm, props = self.vmops.vm_props(instance, self._DIAG_PATHS)
        diags = {}
        stats = props.get('summary.quickStats')
        for name in ('overallCpuUsage', 'overallCpuDemand', 'guestMemoryUsage',
                     'hostMemoryUsage', 'balloonedMemory', 'swappedMemory',
                     'uptimeSeconds', 'consumedOverheadMemory', 'privateMemory',
                     'sharedMemory', 'compressedMemory'):
            value = getattr(stats, name, None)
            if value is not None:
                diags[name] = value
        config = props.get('summary.config')
        if config is not None:
            diags.update(numCpu=config.numCpu, memorySizeMB=config.memorySizeMB,
                         guestId=config.guestId)
        diags['powerState'] = props.get('runtime.powerState')
        return diags

    def get_instance_diagnostics(self, instance):
        _vm, props = self.vmops.vm_props(instance, self._DIAG_PATHS)
        stats = props.get('summary.quickStats')
        config = props.get('summary.config')
        devices = props.get('config.hardware.device') or []
        state = vmops.POWER_STATES.get(props.get('runtime.powerState'), power_state.NOSTATE)
        disks = [d for d in devices if isinstance(d, vim.vm.device.VirtualDisk)]
        nics = [d for d in devices if isinstance(d, vim.vm.device.VirtualEthernetCard)]
        cdroms = [d for d in devices if isinstance(d, vim.vm.device.VirtualCdrom)]
        num_cpus = getattr(config, 'numCpu', 0) or 0
        return {
            'state': power_state.STATE_MAP.get(state, 'pending'),
            'driver': 'vmwareapi',
            'hypervisor': 'esxi',
            'hypervisor_os': 'esxi',
            'uptime': getattr(stats, 'uptimeSeconds', 0) or 0,
            'config_drive': any(
                getattr(c.backing, 'fileName', '').endswith(vmops.CONFIG_DRIVE)
                for c in cdroms),
            'num_cpus': num_cpus,
            'num_disks': len(disks),
            'num_nics': len(nics),
            'memory_details': {'maximum': getattr(config, 'memorySizeMB', 0) or 0,
                               'used': getattr(stats, 'guestMemoryUsage', 0) or 0},
            'cpu_details': [{'id': cpu, 'time': None, 'utilisation': None}
                            for cpu in range(num_cpus)],
            'disk_details': [{'read_bytes': None, 'read_requests': None,
                              'write_bytes': None, 'write_requests': None,
                              'errors_count': None} for _ in disks],
            'nic_details': [{'mac_address': n.macAddress, 'rx_octets': None,
                             'rx_errors': None, 'rx_drop': None, 'rx_packets': None,
                             'rx_rate': None, 'tx_octets': None, 'tx_errors': None,
                             'tx_drop': None, 'tx_packets': None, 'tx_rate': None}
                            for n in nics],
        }
