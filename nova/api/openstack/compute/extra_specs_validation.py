"""Flavor extra spec checks applied from microversion 2.86.

A key in a namespace this module knows must match one of that namespace's
rules and carry a value of the rule's kind; keys in other namespaces are
operator-defined and stored untouched. The rules are plain data so adding a
key means adding a row, not code.
"""

import re

_BOOL_WORDS = frozenset(
    ['true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', 'on', 'off', '1', '0'])
_GROUP = r'(?:[a-zA-Z0-9_-]{1,64})?'


class ExtraSpecInvalid(ValueError):
    """The key or value of one extra spec is not acceptable."""


def _check_bool(value):
    return value.strip().lower() in _BOOL_WORDS


def _int_check(minimum=None, maximum=None):
    def check(value):
        try:
            number = int(value)
        except (TypeError, ValueError):
            return False
        if minimum is not None and number < minimum:
            return False
        return maximum is None or number <= maximum
    return check


def _enum_check(*choices):
    def check(value):
        return value in choices
    check.choices = choices
    return check


def _regex_check(pattern):
    compiled = re.compile(pattern + r'\Z')

    def check(value):
        return compiled.match(value) is not None
    return check


def _any_value(value):
    return True


BOOL = _check_bool
NON_NEGATIVE = _int_check(minimum=0)
POSITIVE = _int_check(minimum=1)
CPU_SET = _regex_check(r'\^?\d+(-\d+)?(,\^?\d+(-\d+)?)*')
PAGE_SIZE = _regex_check(r'(small|large|any|\d+([kKmMgG][bB]?|[kKmMgG]i[bB])?)')

# (key pattern, check, description) per namespace; the key pattern covers the
# whole key including its namespace prefix.
RULES = {
    'hw': [
        ('hw:cpu_policy', _enum_check('dedicated', 'shared', 'mixed'),
         'how guest CPUs map onto host CPUs'),
        ('hw:cpu_thread_policy', _enum_check('prefer', 'isolate', 'require'),
         'how dedicated guest CPUs treat host SMT siblings'),
        ('hw:emulator_threads_policy', _enum_check('share', 'isolate'),
         'where the emulator threads run'),
        ('hw:cpu_dedicated_mask', CPU_SET, 'guest CPUs that are dedicated (mixed policy)'),
        ('hw:cpu_realtime', BOOL, 'real-time guest CPUs'),
        ('hw:cpu_realtime_mask', CPU_SET, 'guest CPUs that are real-time'),
        ('hw:hide_hypervisor_id', BOOL, 'hide the hypervisor signature from the guest'),
        ('hw:cpu_sockets', POSITIVE, 'guest CPU sockets'),
        ('hw:cpu_cores', POSITIVE, 'guest CPU cores per socket'),
        ('hw:cpu_threads', POSITIVE, 'guest CPU threads per core'),
        ('hw:cpu_max_sockets', POSITIVE, 'upper bound on guest CPU sockets'),
        ('hw:cpu_max_cores', POSITIVE, 'upper bound on guest CPU cores'),
        ('hw:cpu_max_threads', POSITIVE, 'upper bound on guest CPU threads'),
        ('hw:numa_nodes', POSITIVE, 'guest NUMA nodes'),
        (r'hw:numa_cpus\.\d+', CPU_SET, 'guest CPUs of one guest NUMA node'),
        (r'hw:numa_mem\.\d+', NON_NEGATIVE, 'memory (MiB) of one guest NUMA node'),
        ('hw:pci_numa_affinity_policy',
         _enum_check('required', 'preferred', 'legacy', 'socket'),
         'NUMA affinity of PCI devices'),
        ('hw:mem_page_size', PAGE_SIZE, 'guest memory page size'),
        ('hw:mem_encryption', BOOL, 'encrypted guest memory'),
        ('hw:locked_memory', BOOL, 'lock guest memory in host RAM'),
        ('hw:watchdog_action',
         _enum_check('none', 'pause', 'poweroff', 'reset', 'disabled'),
         'what the watchdog does when the guest hangs'),
        ('hw:boot_menu', BOOL, 'show the BIOS boot menu'),
        ('hw:vif_multiqueue_enabled', BOOL, 'multiqueue virtio network interfaces'),
        ('hw:virtio_packed_ring', BOOL, 'packed virtqueues'),
        ('hw:pmu', BOOL, 'virtual performance monitoring unit'),
        ('hw:serial_port_count', NON_NEGATIVE, 'guest serial ports'),
        ('hw:tpm_version', _enum_check('1.2', '2.0'), 'emulated TPM version'),
        ('hw:tpm_model', _enum_check('tpm-tis', 'tpm-crb'), 'emulated TPM model'),
        ('hw:machine_type', _regex_check(r'\S+'), 'guest machine type'),
        ('hw:viommu_model', _enum_check('intel', 'smmuv3', 'virtio', 'auto'),
         'virtual IOMMU model'),
        ('hw:maxphysaddr_mode', _enum_check('emulate', 'passthrough'),
         'guest physical address width mode'),
        ('hw:maxphysaddr_bits', POSITIVE, 'guest physical address bits'),
        ('hw:ephemeral_encryption', BOOL, 'encrypt ephemeral storage'),
        ('hw:ephemeral_encryption_format', _enum_check('luks'),
         'ephemeral storage encryption format'),
    ],
    'hw_rng': [
        ('hw_rng:allowed', BOOL, 'allow a random number generator device'),
        ('hw_rng:rate_bytes', NON_NEGATIVE, 'bytes the guest may read per period'),
        ('hw_rng:rate_period', NON_NEGATIVE, 'rate limiting period (ms)'),
    ],
    'hw_video': [
        ('hw_video:ram_max_mb', NON_NEGATIVE, 'maximum video RAM (MiB)'),
    ],
    'quota': [
        ('quota:cpu_shares', NON_NEGATIVE, 'relative CPU weight'),
        ('quota:cpu_period', NON_NEGATIVE, 'CPU enforcement interval (us)'),
        ('quota:cpu_quota', _int_check(), 'CPU bandwidth per period (us)'),
        ('quota:cpu_limit', NON_NEGATIVE, 'CPU limit (MHz)'),
        ('quota:cpu_reservation', NON_NEGATIVE, 'CPU reservation (MHz)'),
        ('quota:memory_limit', NON_NEGATIVE, 'memory limit (MiB)'),
        ('quota:memory_reservation', NON_NEGATIVE, 'memory reservation (MiB)'),
        (r'quota:(cpu|memory|disk_io|vif)_shares_level',
         _enum_check('custom', 'high', 'normal', 'low'), 'share level'),
        (r'quota:(cpu|memory|disk_io|vif)_shares_share', NON_NEGATIVE,
         'shares when the level is custom'),
        (r'quota:(disk_io|vif)_(limit|reservation)', NON_NEGATIVE,
         'I/O limit or reservation'),
        (r'quota:disk_(read|write|total)_(bytes|iops)_sec(_max|_max_length)?',
         NON_NEGATIVE, 'disk I/O throttling'),
        ('quota:disk_total_iops_sec', NON_NEGATIVE, 'disk I/O operations per second'),
        ('quota:size_iops_sec', NON_NEGATIVE, 'size of one I/O operation'),
        (r'quota:vif_(inbound|outbound)_(average|peak|burst)', NON_NEGATIVE,
         'network interface throttling'),
    ],
    'resources': [
        (r'resources%s:(CUSTOM_[A-Z0-9_]+|[A-Z][A-Z0-9_]*)' % _GROUP, NON_NEGATIVE,
         'amount of a resource class to request'),
    ],
    'trait': [
        (r'trait%s:[A-Z0-9_]+' % _GROUP, _enum_check('required', 'forbidden'),
         'require or forbid a trait'),
    ],
    'aggregate_instance_extra_specs': [
        (r'aggregate_instance_extra_specs:.+', _any_value,
         'host aggregate metadata the host must match'),
    ],
    'capabilities': [
        (r'capabilities:.+', _any_value, 'host capability the host must match'),
    ],
    'os': [
        ('os:secure_boot', _enum_check('required', 'disabled', 'optional'),
         'UEFI secure boot'),
        ('os:resolution', _regex_check(r'\d+x\d+'), 'guest display resolution'),
        ('os:monitors', _int_check(minimum=1, maximum=8), 'guest monitors'),
        ('os:vram', NON_NEGATIVE, 'guest video RAM'),
    ],
    'pci_passthrough': [
        ('pci_passthrough:alias',
         _regex_check(r'[^:,\s]+:\d+(\s*,\s*[^:,\s]+:\d+)*'),
         'PCI aliases and counts, e.g. a1:2,a2:1'),
    ],
    'accel': [
        ('accel:device_profile', _regex_check(r'.+'), 'Cyborg device profile name'),
    ],
    'hide_hypervisor_id': [
        ('hide_hypervisor_id', BOOL, 'hide the hypervisor signature (legacy key)'),
    ],
    'group_policy': [
        ('group_policy', _enum_check('isolate', 'none'),
         'how numbered request groups share providers'),
    ],
}

_COMPILED = {ns: [(re.compile(pattern + r'\Z'), check, desc)
                  for pattern, check, desc in rules]
             for ns, rules in RULES.items()}
_NUMBERED = re.compile(r'(resources|trait)%s:' % _GROUP)


def namespace_of(key):
    """The registered namespace a key belongs to, or None for custom keys."""
    numbered = _NUMBERED.match(key)
    if numbered:
        return numbered.group(1)
    prefix = key.split(':', 1)[0]
    return prefix if prefix in _COMPILED else None


def validate(key, value):
    """Raise ExtraSpecInvalid unless the pair is acceptable."""
    namespace = namespace_of(key)
    if namespace is None:
        return
    for pattern, check, _desc in _COMPILED[namespace]:
        if pattern.match(key):
            if not check(str(value)):
                raise ExtraSpecInvalid(
                    "Validation failed; '%s' is not a valid value for extra "
                    "spec '%s'." % (value, key))
            return
    raise ExtraSpecInvalid(
        "Validation failed; extra spec '%s' does not appear to be a valid "
        "extra spec." % key)


def validate_all(specs):
    for key, value in specs.items():
        validate(key, value)
