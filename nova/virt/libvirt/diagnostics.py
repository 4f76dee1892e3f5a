"""Guest diagnostics: the free-form pre-2.48 dict and the 2.48 structured one."""

import os

from nova.compute import power_state
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import imagebackend


def _vcpu_times(domain):
    try:
        return [(vcpu[0], vcpu[2]) for vcpu in domain.vcpus()[0]]
    except libvirt.libvirtError:  # not running
        return []


def _memory(domain):
    try:
        return domain.memoryStats()
    except libvirt.libvirtError:
        return {}


def legacy(guest):
    """cpuN_time, memory, memory-<stat>, <disk>_read/_write..., <nic>_rx/_tx..."""
    domain = guest.domain
    diags = {}
    for vcpu_id, cpu_time in _vcpu_times(domain):
        diags['cpu%d_time' % vcpu_id] = cpu_time
    diags['memory'] = domain.maxMemory()
    for key, value in _memory(domain).items():
        diags['memory-' + key] = value
    if guest.is_active():
        for dev, _ in guest.get_disks():
            rd_req, rd_bytes, wr_req, wr_bytes, errs = domain.blockStats(dev)
            diags.update({dev + '_read_req': rd_req, dev + '_read': rd_bytes,
                          dev + '_write_req': wr_req, dev + '_write': wr_bytes,
                          dev + '_errors': errs})
        for dev in guest.get_interfaces():
            stats = domain.interfaceStats(dev)
            for name, value in zip(('rx', 'rx_packets', 'rx_errors', 'rx_drop', 'tx',
                                    'tx_packets', 'tx_errors', 'tx_drop'), stats):
                diags['%s_%s' % (dev, name)] = value
    return diags


def _uptime(guest):
    """Seconds since the guest's QEMU process started (0 when that cannot be read:
    a remote libvirt, another pid file location)."""
    try:
        with open('/run/libvirt/qemu/%s.pid' % guest.name) as f:
            pid = int(f.read().strip())
        with open('/proc/%d/stat' % pid) as f:
            start_ticks = int(f.read().rsplit(')', 1)[1].split()[19])
        with open('/proc/uptime') as f:
            host_uptime = float(f.read().split()[0])
        return max(0, int(host_uptime - start_ticks / os.sysconf('SC_CLK_TCK')))
    except (OSError, ValueError, IndexError):
        return 0


def structured(guest, instance):
    """Upstream's 2.48 diagnostics fields (state, driver, cpu/nic/disk/memory details)."""
    domain = guest.domain
    state = power_state.STATE_MAP.get(guest.get_power_state(), 'pending')
    active = guest.is_active()
    cpu_details = [{'id': vcpu_id, 'time': cpu_time, 'utilisation': None}
                   for vcpu_id, cpu_time in _vcpu_times(domain)]
    disk_details = []
    disks = guest.get_disks()
    for dev, _ in disks:
        detail = {'read_bytes': 0, 'read_requests': 0, 'write_bytes': 0,
                  'write_requests': 0, 'errors_count': 0}
        if active:
            rd_req, rd_bytes, wr_req, wr_bytes, errs = domain.blockStats(dev)
            detail.update(read_bytes=rd_bytes, read_requests=rd_req, write_bytes=wr_bytes,
                          write_requests=wr_req, errors_count=errs)
        disk_details.append(detail)
    tree = guest.get_xml_tree()
    nic_details = []
    for iface in tree.findall('./devices/interface'):
        mac = iface.find('mac')
        target = iface.find('target')
        detail = {'mac_address': mac.get('address') if mac is not None else None,
                  'rx_octets': 0, 'rx_errors': 0, 'rx_drop': 0, 'rx_packets': 0,
                  'rx_rate': None, 'tx_octets': 0, 'tx_errors': 0, 'tx_drop': 0,
                  'tx_packets': 0, 'tx_rate': None}
        if active and target is not None and target.get('dev'):
            rx, rxp, rxe, rxd, tx, txp, txe, txd = domain.interfaceStats(target.get('dev'))
            detail.update(rx_octets=rx, rx_packets=rxp, rx_errors=rxe, rx_drop=rxd,
                          tx_octets=tx, tx_packets=txp, tx_errors=txe, tx_drop=txd)
        nic_details.append(detail)
    memory = _memory(domain)
    return {
        'state': state,
        'driver': 'libvirt',
        'hypervisor': tree.get('type'),
        'hypervisor_os': 'linux',
        'uptime': _uptime(guest) if active else 0,
        'config_drive': os.path.exists(
            imagebackend.instance_path(instance, imagebackend.CONFIG)),
        'num_cpus': len(cpu_details) or int(tree.findtext('vcpu') or 0),
        'num_nics': len(nic_details),
        'num_disks': len(disk_details),
        'cpu_details': cpu_details,
        'nic_details': nic_details,
        'disk_details': disk_details,
        'memory_details': {'maximum': domain.maxMemory() // 1024,
                           'used': memory.get('actual', 0) // 1024},
    }
