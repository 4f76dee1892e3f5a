"""Extra spec validation (microversion 2.86): the rules and the API wiring."""

import pytest

from nova.api.openstack.compute import extra_specs_validation as xs

NEW = {'flavor': {'name': 'm1.xs', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '77'}}

# At least one accepted and one refused pair per namespace Nova owns.
VALID = [
    # hw
    ('hw:cpu_policy', 'dedicated'), ('hw:cpu_policy', 'mixed'),
    ('hw:cpu_thread_policy', 'isolate'), ('hw:emulator_threads_policy', 'share'),
    ('hw:cpu_dedicated_mask', '^0-1,3'), ('hw:cpu_realtime', 'yes'),
    ('hw:cpu_realtime_mask', '^0-1'), ('hw:hide_hypervisor_id', 'false'),
    ('hw:mem_page_size', 'large'), ('hw:mem_page_size', '2048'),
    ('hw:mem_page_size', '1GB'), ('hw:mem_page_size', '2kbit'),
    ('hw:mem_page_size', '1GiB'), ('hw:locked_memory', 'True'),
    ('hw:numa_nodes', '2'), ('hw:numa_cpus.0', '0-3,^2'), ('hw:numa_mem.1', '1024'),
    ('hw:pci_numa_affinity_policy', 'socket'), ('hw:cpu_sockets', '2'),
    ('hw:cpu_max_sockets', '4'), ('hw:cpu_max_cores', '8'), ('hw:cpu_max_threads', '2'),
    ('hw:boot_menu', 'True'), ('hw:vif_multiqueue_enabled', 'on'),
    ('hw:mem_encryption', '1'), ('hw:mem_encryption_model', 'amd-sev-es'),
    ('hw:pmem', '6GB,LARGE'), ('hw:pmu', 'off'), ('hw:serial_port_count', '0'),
    ('hw:tpm_model', 'tpm-crb'), ('hw:tpm_version', '2.0'),
    ('hw:tpm_secret_security', 'host'), ('hw:watchdog_action', 'poweroff'),
    ('hw:viommu_model', 'auto'), ('hw:virtio_packed_ring', 'false'),
    ('hw:sound_model', 'ich9'), ('hw:usb_model', 'qemu-xhci'),
    ('hw:redirected_usb_ports', '15'), ('hw:ephemeral_encryption', 'true'),
    ('hw:ephemeral_encryption_format', 'luks'),
    # hw_rng, hw_video
    ('hw_rng:allowed', 'false'), ('hw_rng:rate_bytes', '24'),
    ('hw_rng:rate_period', '0'), ('hw_video:ram_max_mb', '64'),
    # quota (libvirt and VMware keys)
    ('quota:cpu_shares', '1024'), ('quota:cpu_quota', '0'),
    ('quota:disk_read_iops_sec', '500'), ('quota:disk_total_bytes_sec', '10'),
    ('quota:vif_inbound_average', '100'), ('quota:memory_shares_level', 'anything'),
    ('quota:cpu_limit', '-1'), ('quota:vif_shares_share', '10'),
    # resources / trait, with and without a request group
    ('resources:VCPU', '2'), ('resources1:CUSTOM_FPGA', '0'),
    ('resources_gpu:VGPU', '1'), ('resources:MEMORY_MB', '-1'),
    ('trait:HW_CPU_X86_AVX2', 'required'), ('trait2:CUSTOM_MAGIC', 'forbidden'),
    ('trait_a-b:COMPUTE_STATUS_DISABLED', 'forbidden'),
    # scheduler filters
    ('aggregate_instance_extra_specs:ssd', 'true'),
    ('aggregate_instance_extra_specs:any:nested', '<in> x'),
    ('capabilities:hypervisor_type', 's== QEMU'),
    ('capabilities:cpu_info', 'x'), ('capabilities:cpu_info:vendor', 'Intel'),
    ('capabilities:stats:a:b', '>= 5'),
    # os, pci_passthrough, accel, vmware
    ('os:secure_boot', 'required'), ('pci_passthrough:alias', 'a1:2,a2:1'),
    ('pci_passthrough:alias', 'a1:2 , a 2:1'), ('accel:device_profile', 'fpga1'),
    ('accel:device_profile', ''), ('vmware:hw_version', 'vmx-13'),
    ('vmware:storage_policy', 'gold'),
    # keys without a namespace
    ('hide_hypervisor_id', 'yes'), ('group_policy', 'isolate'),
]

# (key, value, text the message must name: the key when it is unknown,
# the value when the value is wrong)
INVALID = [
    # hw
    ('hw:cpu_policy', 'bogus', 'bogus'), ('hw:cpu_thread_policy', 'always', 'always'),
    ('hw:emulator_threads_policy', 'iisolate', 'iisolate'),
    ('hw:cpu_dedicated_mask', '0-a', '0-a'), ('hw:cpu_realtime', '2', "'2'"),
    ('hw:cpu_realtime_mask', '^0,2-3,b', '^0,2-3,b'),
    ('hw:mem_page_size', 'huge', 'huge'), ('hw:mem_page_size', '2kbits', '2kbits'),
    ('hw:mem_page_size', '2mb', '2mb'), ('hw:numa_nodes', '0', "'0'"),
    ('hw:numa_nodes', 'two', 'two'), ('hw:numa_mem.0', '0', "'0'"),
    ('hw:numa_cpus.x', '0', 'hw:numa_cpus.x'),
    ('hw:pci_numa_affinity_policy', 'lgacy', 'lgacy'),
    ('hw:cpu_max_sockets', '0', "'0'"), ('hw:max_cpu_sockets', '2', 'hw:max_cpu_sockets'),
    ('hw:watchdog_action', 'explode', 'explode'), ('hw:boot_menu', 'yah', 'yah'),
    ('hw:mem_encryption_model', 'intel-tdx', 'intel-tdx'), ('hw:pmem', ',a', ',a'),
    ('hw:serial_port_count', '-1', "'-1'"), ('hw:tpm_model', 'tpm-spapr', 'tpm-spapr'),
    ('hw:tpm_version', '1.0', "'1.0'"), ('hw:tpm_secret_security', 'any', "'any'"),
    ('hw:viommu_model', 'amd', "'amd'"), ('hw:virtio_packed_ring', 'maybe', 'maybe'),
    ('hw:sound_model', 'hda', "'hda'"), ('hw:usb_model', 'ehci', 'ehci'),
    ('hw:redirected_usb_ports', '16', "'16'"),
    ('hw:ephemeral_encryption_format', 'dm-crypt', 'dm-crypt'),
    ('hw:machine_type', 'q35', 'hw:machine_type'),
    ('hw:maxphysaddr_mode', 'emulate', 'hw:maxphysaddr_mode'),
    ('hw:no_such_thing', '1', 'hw:no_such_thing'),
    # hw_rng, hw_video
    ('hw_rng:allowed', 'perhaps', 'perhaps'), ('hw_rng:rate_bytes', '-1', "'-1'"),
    ('hw_rng:rate', '1', 'hw_rng:rate'), ('hw_video:ram_max_mb', 'lots', 'lots'),
    ('hw_video:ram', '1', 'hw_video:ram'),
    # quota
    ('quota:cpu_shares', 'many', 'many'), ('quota:cpu_quota', '-1', "'-1'"),
    ('quota:vif_outbound_peak', '-5', "'-5'"), ('quota:cpu_limit', 'x', "'x'"),
    ('quota:disk_read_iops_sec_max', '1', 'quota:disk_read_iops_sec_max'),
    ('quota:unknown', '1', 'quota:unknown'),
    # resources / trait
    ('resources:VCPU', 'x', "'x'"), ('resources:vcpu', '1', 'resources:vcpu'),
    ('resources:NOT_A_CLASS', '1', 'resources:NOT_A_CLASS'),
    ('resources1:CUSTOM_fpga', '1', 'resources1:CUSTOM_fpga'),
    ('trait:HW_CPU_X86_AVX2', 'yes', "'yes'"), ('trait:lower', 'required', 'trait:lower'),
    ('trait1:HW_NOT_A_TRAIT', 'required', 'trait1:HW_NOT_A_TRAIT'),
    # scheduler filters
    ('aggregate_instance_extra_specs:', 'x', 'aggregate_instance_extra_specs:'),
    ('capabilities:no_such_capability', 'x', 'capabilities:no_such_capability'),
    ('capabilities:hypervisor_type:sub', 'x', 'capabilities:hypervisor_type:sub'),
    # os, pci_passthrough, accel, vmware
    ('os:secure_boot', 'optional', 'optional'), ('os:monitors', '2', 'os:monitors'),
    ('os:resolution', '1024x768', 'os:resolution'),
    ('pci_passthrough:alias', 'a1', "'a1'"), ('pci_passthrough:alias', 'a1:x', 'a1:x'),
    ('pci_passthrough:count', '1', 'pci_passthrough:count'),
    ('accel:device', 'x', 'accel:device'), ('vmware:cpu_limit', '1', 'vmware:cpu_limit'),
    # keys without a namespace
    ('hide_hypervisor_id', 'nope', 'nope'), ('group_policy', 'spread', 'spread'),
]


@pytest.mark.parametrize('key,value', VALID)
def test_valid_specs_pass(key, value):
    xs.validate(key, value)


@pytest.mark.parametrize('key,value,named', INVALID)
def test_invalid_specs_are_refused_naming_the_culprit(key, value, named):
    with pytest.raises(xs.ExtraSpecInvalid) as caught:
        xs.validate(key, value)
    assert str(caught.value).startswith('Validation failed; ')
    assert named in str(caught.value)


@pytest.mark.parametrize('key', [
    'custom:anything', 'mycorp:fast', 'plainkey', 'hwx:foo', 'hw-x:foo',
    # namespaces of drivers that left the tree are operator-defined again
    'powervm:min_mem', 'powervm:dedicated_proc',
    # an unnamespaced key Nova knows, used as a namespace, is not Nova's
    'hide_hypervisor_id:foo', 'group_policy:x',
])
def test_keys_outside_nova_namespaces_are_accepted(key):
    assert not xs.in_known_namespace(key)
    xs.validate(key, 'whatever value')


@pytest.mark.parametrize('key', [
    'hw:x', 'hw_rng:x', 'hw_video:x', 'quota:x', 'os:x', 'pci_passthrough:x',
    'accel:x', 'vmware:x', 'capabilities:x', 'aggregate_instance_extra_specs:',
    'resources:x', 'resources_a-b:x', 'trait:x', 'trait42:x',
])
def test_nova_namespaces_are_recognised(key):
    assert xs.in_known_namespace(key)


def test_group_suffix_longer_than_64_characters_is_not_a_placement_namespace():
    key = 'resources%s:VCPU' % ('a' * 65)
    assert not xs.in_known_namespace(key)
    xs.validate(key, 'not a number')


def test_value_error_messages_describe_the_constraint():
    cases = {
        ('hw:cpu_policy', 'bogus'):
            "'bogus' is not one of: dedicated, shared, mixed",
        ('hw:numa_nodes', '0'): "'0' is less than the min value of '1'",
        ('hw:redirected_usb_ports', '16'):
            "'16' is greater than the max value of '15'",
        ('hw:numa_nodes', 'two'): "'two' is not a valid integer value",
        ('hw:boot_menu', 'maybe'): "'maybe' is not a valid boolean-like value",
        ('pci_passthrough:alias', 'a1'): "'a1' is not of the format",
    }
    for (key, value), expected in cases.items():
        with pytest.raises(xs.ExtraSpecInvalid) as caught:
            xs.validate(key, value)
        assert expected in str(caught.value), (key, str(caught.value))
