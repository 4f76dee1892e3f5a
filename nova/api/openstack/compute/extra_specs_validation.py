"""Flavor extra spec checks applied from microversion 2.86.

A key is first looked up among the known keys; a match must carry a value of
that key's kind. A key that matches nothing is rejected only when the part
before its first ':' is a namespace Nova owns (``hw``, ``quota``,
``resources1`` ...); keys without a namespace, or in a namespace an operator
made up, are stored untouched. The keys are plain data so adding one means
adding a row, not code.

The tables follow upstream's "Flavor extra specs" reference (its registry of
extra spec validators); drivers that left the tree took their keys with them
(PowerVM's ``powervm:*``, Hyper-V's ``os:resolution``/``os:monitors``/
``os:vram``), so those keys are operator-defined again.
"""

import re

import os_resource_classes
import os_traits
from oslo_utils import strutils


class ExtraSpecInvalid(ValueError):
    """The key or value of one extra spec is not acceptable."""


# -- value kinds: each returns None when fine, else why the value is wrong --

def _boolean(value):
    try:
        strutils.bool_from_string(value, strict=True)
    except ValueError:
        return "'%s' is not a valid boolean-like value" % value
    return None


def _integer(minimum=None, maximum=None):
    def check(value):
        try:
            number = int(value)
        except ValueError:
            return "'%s' is not a valid integer value" % value
        if maximum is not None and number > maximum:
            return "'%s' is greater than the max value of '%s'" % (
                value, maximum)
        if minimum is not None and number < minimum:
            return "'%s' is less than the min value of '%s'" % (
                value, minimum)
        return None
    return check


def _one_of(*choices):
    def check(value):
        if value in choices:
            return None
        return "'%s' is not one of: %s" % (value, ', '.join(choices))
    return check


def _matching(pattern):
    compiled = re.compile(pattern)

    def check(value):
        if compiled.fullmatch(value):
            return None
        return "'%s' is not of the format '%s'" % (value, pattern)
    return check


def _any_string(value):
    return None


BOOL = _boolean
INT = _integer()
NON_NEGATIVE = _integer(minimum=0)
POSITIVE = _integer(minimum=1)
# guest CPU list: numbers, 'a-b' ranges and '^n' exclusions joined by commas
CPU_SET = _matching(r'\^?\d+(?:-\d+|,\^?\d+)*')
# an alias (large/small/any) or a size with an optional K/M/G/T(i) unit and
# b/bit/B suffix
PAGE_SIZE = _matching(r'large|small|any|\d+(?:[kKMGT]i?)?(?:b|bit|B)?')

# A group suffix on resources/trait keys: 'resources1', 'trait_gpu' ...
_GROUP = r'[a-zA-Z0-9_-]{0,64}'
_CUSTOM_NAME = re.compile(r'CUSTOM_[A-Z0-9_]+')


HW = [
    ('hw:cpu_realtime', BOOL),
    ('hw:cpu_realtime_mask', CPU_SET),
    ('hw:hide_hypervisor_id', BOOL),
    ('hw:cpu_policy', _one_of('dedicated', 'shared', 'mixed')),
    ('hw:cpu_thread_policy', _one_of('prefer', 'isolate', 'require')),
    ('hw:emulator_threads_policy', _one_of('isolate', 'share')),
    ('hw:cpu_dedicated_mask', CPU_SET),
    ('hw:mem_page_size', PAGE_SIZE),
    ('hw:locked_memory', BOOL),
    ('hw:numa_nodes', POSITIVE),
    (r'hw:numa_cpus\.\d+', CPU_SET),
    (r'hw:numa_mem\.\d+', POSITIVE),
    ('hw:pci_numa_affinity_policy',
     _one_of('required', 'preferred', 'legacy', 'socket')),
    ('hw:cpu_sockets', POSITIVE),
    ('hw:cpu_cores', POSITIVE),
    ('hw:cpu_threads', POSITIVE),
    ('hw:cpu_max_sockets', POSITIVE),
    ('hw:cpu_max_cores', POSITIVE),
    ('hw:cpu_max_threads', POSITIVE),
    ('hw:boot_menu', BOOL),
    ('hw:vif_multiqueue_enabled', BOOL),
    ('hw:mem_encryption', BOOL),
    ('hw:mem_encryption_model', _one_of('amd-sev', 'amd-sev-es')),
    # comma-separated vPMEM labels from the compute's config
    ('hw:pmem', _matching(r'[a-zA-Z0-9_]+(?:,[a-zA-Z0-9_]+)*,?')),
    ('hw:pmu', BOOL),
    ('hw:serial_port_count', NON_NEGATIVE),
    ('hw:tpm_model', _one_of('tpm-tis', 'tpm-crb')),
    ('hw:tpm_version', _one_of('1.2', '2.0')),
    ('hw:tpm_secret_security', _one_of('user', 'host', 'deployment')),
    ('hw:watchdog_action',
     _one_of('none', 'pause', 'poweroff', 'reset', 'disabled')),
    ('hw:viommu_model', _one_of('intel', 'smmuv3', 'virtio', 'auto')),
    ('hw:virtio_packed_ring', BOOL),
    ('hw:sound_model', _one_of('sb16', 'es1370', 'pcspk', 'ac97', 'ich6',
                               'ich9', 'usb', 'virtio')),
    ('hw:usb_model', _one_of('none', 'nec-xhci', 'qemu-xhci')),
    ('hw:redirected_usb_ports', _integer(minimum=0, maximum=15)),
    ('hw:ephemeral_encryption', BOOL),
    ('hw:ephemeral_encryption_format', _one_of('plain', 'luks', 'luksv2')),
]

HW_RNG = [
    ('hw_rng:allowed', BOOL),
    ('hw_rng:rate_bytes', NON_NEGATIVE),
    ('hw_rng:rate_period', NON_NEGATIVE),
]

HW_VIDEO = [
    ('hw_video:ram_max_mb', NON_NEGATIVE),
]

QUOTA = [
    # VMware driver: limits, reservations and share levels per resource
    (r'quota:(?:cpu|memory|disk_io|vif)_(?:limit|reservation|shares_share)',
     INT),
    (r'quota:(?:cpu|memory|disk_io|vif)_shares_level', _any_string),
    # libvirt driver
    (r'quota:cpu_(?:shares|period|quota)', NON_NEGATIVE),
    (r'quota:disk_(?:read|write|total)_(?:bytes|iops)_sec', NON_NEGATIVE),
    (r'quota:vif_(?:inbound|outbound)_(?:average|peak|burst)', NON_NEGATIVE),
]

OS = [
    ('os:secure_boot', _one_of('disabled', 'required')),
]

PCI_PASSTHROUGH = [
    # one or more comma-separated '<alias>:<count>' pairs
    ('pci_passthrough:alias', _matching(r'[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*')),
]

ACCEL = [
    ('accel:device_profile', _any_string),
]

VMWARE = [
    ('vmware:hw_version', _any_string),
    ('vmware:storage_policy', _any_string),
]

AGGREGATE_INSTANCE_EXTRA_SPECS = [
    # any aggregate metadata key; the value may carry a filter operator
    (r'aggregate_instance_extra_specs:.+', _any_string),
]

# host state the ComputeCapabilitiesFilter can compare against
_FLAT_CAPABILITIES = (
    'id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb',
    'vcpus_used', 'memory_mb_used', 'local_gb_used', 'hypervisor_type',
    'hypervisor_version', 'hypervisor_hostname', 'free_ram_mb',
    'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least',
    'host_ip', 'mapped', 'cpu_allocation_ratio', 'ram_allocation_ratio',
    'disk_allocation_ratio', 'total_usable_ram_mb', 'total_usable_disk_gb',
    'disk_mb_used', 'free_disk_mb', 'vcpus_total', 'num_instances',
    'num_io_ops', 'failed_builds', 'aggregates', 'cell_uuid', 'updated',
)
# ...and structured host state, reachable further with ':sub:key' suffixes
_NESTED_CAPABILITIES = (
    'cpu_info', 'metrics', 'stats', 'numa_topology', 'supported_hv_specs',
    'pci_device_pools', 'nodename', 'pci_stats', 'supported_instances',
    'limits', 'instances',
)
CAPABILITIES = (
    [('capabilities:' + name, _any_string) for name in _FLAT_CAPABILITIES] +
    [(r'capabilities:%s(?::\w+)*' % name, _any_string)
     for name in _NESTED_CAPABILITIES])

# keys without a namespace that are still Nova's
UNNAMESPACED = [
    ('hide_hypervisor_id', BOOL),
    ('group_policy', _one_of('isolate', 'none')),
]

_LITERAL_TABLES = {
    'hw': HW, 'hw_rng': HW_RNG, 'hw_video': HW_VIDEO, 'quota': QUOTA,
    'os': OS, 'pci_passthrough': PCI_PASSTHROUGH, 'accel': ACCEL,
    'vmware': VMWARE, 'capabilities': CAPABILITIES,
    'aggregate_instance_extra_specs': AGGREGATE_INSTANCE_EXTRA_SPECS,
    None: UNNAMESPACED,
}
_RULES = [(re.compile(pattern), check)
          for table in _LITERAL_TABLES.values() for pattern, check in table]

# namespaces whose unknown keys are rejected; 'resources' and 'trait' take
# an optional request group suffix
_NAMESPACES = [re.compile(re.escape(name))
               for name in _LITERAL_TABLES if name is not None]
_NAMESPACES += [re.compile('resources' + _GROUP), re.compile('trait' + _GROUP)]

_PLACEMENT_KEY = re.compile(r'(resources|trait)%s:(.+)' % _GROUP)
_STANDARD_RESOURCE_CLASSES = frozenset(os_resource_classes.STANDARDS)
_STANDARD_TRAITS = frozenset(os_traits.get_traits())
_TRAIT_VALUE = _one_of('required', 'forbidden')


def _placement_check(key):
    """The value check of a resources/trait key, None if the name is unknown."""
    match = _PLACEMENT_KEY.fullmatch(key)
    if not match:
        return None
    kind, name = match.groups()
    known = (_STANDARD_RESOURCE_CLASSES if kind == 'resources'
             else _STANDARD_TRAITS)
    if name not in known and not _CUSTOM_NAME.fullmatch(name):
        return None
    # resource amounts carry no lower bound in upstream's registry
    return INT if kind == 'resources' else _TRAIT_VALUE


def _check_for(key):
    for pattern, check in _RULES:
        if pattern.fullmatch(key):
            return check
    return _placement_check(key)


def in_known_namespace(key):
    """Whether an unrecognised key would fall in a namespace Nova owns."""
    if ':' not in key:
        return False
    prefix = key.split(':', 1)[0]
    return any(namespace.fullmatch(prefix) for namespace in _NAMESPACES)


def validate(key, value):
    """Raise ExtraSpecInvalid unless the pair is acceptable."""
    check = _check_for(key)
    if check is None:
        if in_known_namespace(key):
            raise ExtraSpecInvalid(
                "Validation failed; extra spec '%s' does not appear to be a "
                "valid extra spec." % key)
        return
    problem = check(str(value))
    if problem:
        raise ExtraSpecInvalid("Validation failed; %s." % problem)


def validate_all(specs):
    for key, value in specs.items():
        validate(key, value)
