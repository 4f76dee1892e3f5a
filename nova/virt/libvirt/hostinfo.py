"""What the host offers, for the resource tracker and Placement.

Resources (VCPU, MEMORY_MB, DISK_GB) come from libvirt's node info and the
file system holding ``instances_path``; traits from the host CPU's feature
flags and from what this driver can do with guests (image types, buses,
graphics and NIC models).
"""

import json
import os
import subprocess

import os_traits
from oslo_utils import units

import nova.conf

CONF = nova.conf.CONF

# libvirt CPU feature names whose trait is not simply HW_CPU_X86_<NAME>.
_CPU_FEATURE_TRAITS = {
    'sse4.1': 'HW_CPU_X86_SSE41', 'sse4.2': 'HW_CPU_X86_SSE42', 'sse4a': 'HW_CPU_X86_SSE4A',
    'pni': 'HW_CPU_X86_SSE3', 'pclmuldq': 'HW_CPU_X86_CLMUL', 'fma': 'HW_CPU_X86_FMA3',
    'fma4': 'HW_CPU_X86_FMA4', 'aes': 'HW_CPU_X86_AESNI', 'sha-ni': 'HW_CPU_X86_SHA',
    'bmi1': 'HW_CPU_X86_BMI', 'svm': 'HW_CPU_X86_SVM', 'vmx': 'HW_CPU_X86_VMX',
    'avx512-vpopcntdq': 'HW_CPU_X86_AVX512VPOPCNTDQ', 'vaes': 'HW_CPU_X86_AVX512VAES',
    'gfni': 'HW_CPU_X86_AVX512GFNI', 'vpclmulqdq': 'HW_CPU_X86_AVX512VPCLMULQDQ',
    'avx512bitalg': 'HW_CPU_X86_AVX512BITALG', 'pcid': 'HW_CPU_X86_INTEL_PCID',
    'md-clear': 'HW_CPU_X86_INTEL_MD_CLEAR', 'spec-ctrl': 'HW_CPU_X86_INTEL_SPEC_CTRL',
    'ssbd': 'HW_CPU_X86_INTEL_SSBD', 'amd-ssbd': 'HW_CPU_X86_AMD_SSBD',
    'virt-ssbd': 'HW_CPU_X86_AMD_VIRT_SSBD', 'amd-no-ssb': 'HW_CPU_X86_AMD_NO_SSB',
    'ibpb': 'HW_CPU_X86_AMD_IBPB', 'pdpe1gb': 'HW_CPU_X86_PDPE1GB',
    'stibp': 'HW_CPU_X86_STIBP', 'abm': 'HW_CPU_X86_ABM', 'tbm': 'HW_CPU_X86_TBM',
    'amx-bf16': 'HW_CPU_X86_AMXBF16', 'amx-int8': 'HW_CPU_X86_AMXINT8',
    'amx-tile': 'HW_CPU_X86_AMXTILE',
}

# What guests on this driver can use, whatever the host CPU.
_CAPABILITY_TRAITS = {
    'COMPUTE_IMAGE_TYPE_RAW', 'COMPUTE_IMAGE_TYPE_QCOW2', 'COMPUTE_IMAGE_TYPE_VMDK',
    'COMPUTE_IMAGE_TYPE_VDI', 'COMPUTE_IMAGE_TYPE_VHD', 'COMPUTE_IMAGE_TYPE_VHDX',
    'COMPUTE_STORAGE_BUS_VIRTIO', 'COMPUTE_STORAGE_BUS_IDE', 'COMPUTE_STORAGE_BUS_SATA',
    'COMPUTE_STORAGE_BUS_SCSI', 'COMPUTE_STORAGE_BUS_USB',
    'COMPUTE_GRAPHICS_MODEL_VIRTIO', 'COMPUTE_GRAPHICS_MODEL_VGA',
    'COMPUTE_GRAPHICS_MODEL_CIRRUS', 'COMPUTE_GRAPHICS_MODEL_BOCHS',
    'COMPUTE_NET_VIF_MODEL_VIRTIO', 'COMPUTE_NET_VIF_MODEL_E1000',
    'COMPUTE_NET_VIF_MODEL_E1000E', 'COMPUTE_NET_VIF_MODEL_RTL8139',
    'COMPUTE_NET_VIF_MODEL_NE2K_PCI', 'COMPUTE_NET_VIF_MODEL_PCNET',
    'COMPUTE_FIRMWARE_BIOS',
}

_ARCH_TRAITS = {'x86_64': ('HW_ARCH_X86_64', 'COMPUTE_ARCH_X86_64'),
                'aarch64': ('HW_ARCH_AARCH64', 'COMPUTE_ARCH_AARCH64'),
                'i686': ('HW_ARCH_I686',)}


def cpu_feature_trait(name):
    """The os-traits name for a libvirt CPU feature, or None when there is none."""
    trait = _CPU_FEATURE_TRAITS.get(name) or 'HW_CPU_X86_' + name.upper().replace(
        '.', '').replace('-', '_')
    return trait if trait in _KNOWN_TRAITS else None


_KNOWN_TRAITS = frozenset(os_traits.get_traits())

# Every trait this driver decides about; others on the provider (operator's
# CUSTOM_* traits, COMPUTE_STATUS_DISABLED set by the manager) are left alone.
MANAGED_TRAITS = frozenset(
    {t for t in _KNOWN_TRAITS if t.startswith('HW_CPU_X86_')} |
    (_CAPABILITY_TRAITS & _KNOWN_TRAITS) |
    {t for traits in _ARCH_TRAITS.values() for t in traits})


def host_arch(host):
    node = host.get_capabilities().find('./host/cpu/arch')
    return node.text if node is not None else None


def traits(host):
    """The set of traits this host's node provider should carry."""
    found = set(_CAPABILITY_TRAITS & _KNOWN_TRAITS)
    for name in host.get_cpu_features():
        trait = cpu_feature_trait(name)
        if trait:
            found.add(trait)
    for trait in _ARCH_TRAITS.get(host_arch(host), ()):
        if trait in _KNOWN_TRAITS:
            found.add(trait)
    return found


def cpu_info(host):
    """The host CPU as the JSON string os-hypervisors shows in ``cpu_info``."""
    cpu = host.get_capabilities().find('./host/cpu')
    info = {'arch': None, 'model': None, 'vendor': None,
            'topology': {'sockets': 1, 'cores': 1, 'threads': 1}, 'features': []}
    if cpu is not None:
        for key in ('arch', 'model', 'vendor'):
            node = cpu.find(key)
            info[key] = node.text if node is not None else None
        topology = cpu.find('topology')
        if topology is not None:
            info['topology'] = {k: int(topology.get(k, 1))
                                for k in ('sockets', 'cores', 'threads')}
        info['features'] = sorted(f.get('name') for f in cpu.findall('feature'))
    return json.dumps(info)


def supported_instances(host):
    """[[arch, hypervisor type, vm mode]] from the capabilities' <guest> entries."""
    result = []
    for guest in host.get_capabilities().findall('./guest'):
        os_type = guest.findtext('os_type')
        arch = guest.find('arch')
        if arch is None:
            continue
        for domain in arch.findall('domain'):
            entry = [arch.get('name'), domain.get('type'), os_type]
            if entry not in result:
                result.append(entry)
    return result


def disk_gb():
    """(total, free) GB of the file system holding instances_path."""
    path = CONF.instances_path
    os.makedirs(path, exist_ok=True)
    st = os.statvfs(path)
    return (st.f_blocks * st.f_frsize) // units.Gi, (st.f_bavail * st.f_frsize) // units.Gi


def available_resource(host, nodename, node_uuid):
    total_gb, free_gb = disk_gb()
    return {
        'uuid': node_uuid,
        'vcpus': host.get_cpu_count(),
        'memory_mb': host.get_memory_mb_total(),
        'local_gb': total_gb,
        # Usage is the resource tracker's business (it counts instances).
        'vcpus_used': 0,
        'memory_mb_used': 0,
        'local_gb_used': 0,
        'hypervisor_type': host.get_hypervisor_type(),
        'hypervisor_version': host.get_version(),
        'hypervisor_hostname': nodename,
        'cpu_info': cpu_info(host),
        'disk_available_least': free_gb,
        'numa_topology': None,
        'supported_instances': supported_instances(host),
        'host_ip': CONF.my_ip,
    }


def uptime():
    """The host's ``uptime`` line, as os-hypervisors' uptime call shows it."""
    try:
        return subprocess.run(['uptime'], capture_output=True, text=True, check=True,
                              env={'LC_ALL': 'C', 'PATH': os.environ.get('PATH', '')}
                              ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        with open('/proc/uptime') as f:
            return 'up %d seconds' % int(float(f.read().split()[0]))
