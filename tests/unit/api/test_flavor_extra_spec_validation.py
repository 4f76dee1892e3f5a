"""Extra spec validation (microversion 2.86): the rules and the API wiring."""

import pytest

from nova.api.openstack.compute import extra_specs_validation as xs

NEW = {'flavor': {'name': 'm1.xs', 'ram': 512, 'vcpus': 1, 'disk': 1, 'id': '77'}}

VALID = [
    ('hw:cpu_policy', 'dedicated'), ('hw:cpu_policy', 'mixed'),
    ('hw:cpu_thread_policy', 'isolate'), ('hw:mem_page_size', 'large'),
    ('hw:mem_page_size', '2048'), ('hw:mem_page_size', '1GB'),
    ('hw:numa_nodes', '2'), ('hw:numa_cpus.0', '0-3,^2'), ('hw:numa_mem.1', '1024'),
    ('hw:watchdog_action', 'poweroff'), ('hw:boot_menu', 'True'),
    ('hw:cpu_realtime_mask', '^0-1'), ('hw_rng:allowed', 'false'),
    ('hw_rng:rate_bytes', '24'), ('hw_video:ram_max_mb', '64'),
    ('quota:cpu_shares', '1024'), ('quota:disk_read_iops_sec_max', '500'),
    ('quota:vif_inbound_average', '100'), ('quota:memory_shares_level', 'high'),
    ('resources:VCPU', '2'), ('resources1:CUSTOM_FPGA', '0'),
    ('resources_gpu:VGPU', '1'), ('trait:HW_CPU_X86_AVX2', 'required'),
    ('trait2:CUSTOM_MAGIC', 'forbidden'), ('aggregate_instance_extra_specs:ssd', 'true'),
    ('capabilities:cpu_info:vendor', 'Intel'), ('os:secure_boot', 'required'),
    ('pci_passthrough:alias', 'a1:2,a2:1'), ('accel:device_profile', 'fpga1'),
    ('hide_hypervisor_id', 'yes'), ('group_policy', 'isolate'),
]

INVALID = [
    ('hw:cpu_policy', 'bogus'), ('hw:cpu_thread_policy', 'always'),
    ('hw:mem_page_size', 'huge'), ('hw:numa_nodes', '0'), ('hw:numa_nodes', 'two'),
    ('hw:numa_cpus.x', '0'), ('hw:watchdog_action', 'explode'),
    ('hw:boot_menu', 'maybe'), ('hw:no_such_thing', '1'), ('hw_rng:allowed', 'perhaps'),
    ('hw_rng:rate_bytes', '-1'), ('hw_video:ram_max_mb', 'lots'),
    ('quota:cpu_shares', 'many'), ('quota:unknown', '1'),
    ('resources:VCPU', '-1'), ('resources:vcpu', '1'), ('resources1:VCPU', 'x'),
    ('trait:HW_CPU_X86_AVX2', 'yes'), ('trait:lower', 'required'),
    ('os:secure_boot', 'maybe'), ('pci_passthrough:alias', 'a1'),
    ('accel:device_profile', ''), ('hide_hypervisor_id', 'nope'),
    ('group_policy', 'spread'),
]


@pytest.mark.parametrize('key,value', VALID)
def test_valid_specs_pass(key, value):
    xs.validate(key, value)


@pytest.mark.parametrize('key,value', INVALID)
def test_invalid_specs_name_the_key(key, value):
    with pytest.raises(xs.ExtraSpecInvalid) as caught:
        xs.validate(key, value)
    assert key in str(caught.value)


@pytest.mark.parametrize('key', ['custom:anything', 'mycorp:fast', 'plainkey', 'hwx:foo'])
def test_custom_namespaces_are_accepted(key):
    assert xs.namespace_of(key) is None
    xs.validate(key, 'whatever value')


def test_numbered_groups_map_to_their_namespace():
    assert xs.namespace_of('resources_a-b:VCPU') == 'resources'
    assert xs.namespace_of('trait42:FOO') == 'trait'
    assert xs.namespace_of('hw:cpu_policy') == 'hw'


def test_before_2_86_anything_is_stored(admin):
    assert admin.post('/flavors', NEW).status_int == 200
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'hw:cpu_policy': 'bogus', 'hw:nope': 'x'}},
                     version='2.85')
    assert res.status_int == 200, res.body
    res = admin.put('/flavors/77/os-extra_specs/hw:numa_nodes',
                    {'hw:numa_nodes': 'zero'}, version='2.85')
    assert res.status_int == 200, res.body


def test_from_2_86_invalid_specs_are_rejected(admin):
    assert admin.post('/flavors', NEW).status_int == 200
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'hw:cpu_policy': 'bogus'}}, version='2.86')
    assert res.status_int == 400
    body = res.json_body_or_none
    assert body['badRequest']['code'] == 400
    assert 'hw:cpu_policy' in body['badRequest']['message']
    res = admin.put('/flavors/77/os-extra_specs/hw:numa_nodes',
                    {'hw:numa_nodes': 'zero'}, version='2.86')
    assert res.status_int == 400
    assert 'hw:numa_nodes' in res.json_body_or_none['badRequest']['message']
    res = admin.post('/flavors/77/os-extra_specs',
                     {'extra_specs': {'hw:unknown_key': '1'}}, version='2.86')
    assert res.status_int == 400
    assert admin.get('/flavors/77/os-extra_specs').json_body_or_none == {'extra_specs': {}}


def test_from_2_86_valid_and_custom_specs_are_stored(admin):
    assert admin.post('/flavors', NEW).status_int == 200
    specs = {'hw:cpu_policy': 'dedicated', 'resources1:VCPU': '2',
             'trait1:HW_CPU_X86_AVX': 'required', 'mycorp:tier': 'gold'}
    res = admin.post('/flavors/77/os-extra_specs', {'extra_specs': specs}, version='2.86')
    assert res.status_int == 200, res.body
    res = admin.put('/flavors/77/os-extra_specs/hw:numa_nodes',
                    {'hw:numa_nodes': '2'}, version='2.86')
    assert res.status_int == 200, res.body
    stored = admin.get('/flavors/77/os-extra_specs').json_body_or_none['extra_specs']
    assert stored == dict(specs, **{'hw:numa_nodes': '2'})
