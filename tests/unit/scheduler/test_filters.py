"""Each host filter against HostStates built in memory."""

import pytest

import nova.conf
from nova.scheduler import filters
from nova.scheduler.filters import all_hosts_filter
from nova.scheduler.filters import availability_zone_filter
from nova.scheduler.filters import compute_capabilities_filter
from nova.scheduler.filters import compute_filter
from nova.scheduler.filters import extra_specs_ops
from nova.scheduler.filters import image_props_filter
from nova.scheduler.filters import io_ops_filter
from nova.scheduler.filters import num_instances_filter
from tests.unit.scheduler import fakes

CONF = nova.conf.CONF


@pytest.fixture
def conf():
    yield CONF
    CONF.clear_override('image_properties_default_architecture', group='filter_scheduler')
    CONF.clear_override('max_instances_per_host', group='filter_scheduler')


def test_all_filters_lists_every_family():
    names = {cls.__name__ for cls in filters.all_filters()}
    assert {'ComputeFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter',
            'ServerGroupAffinityFilter', 'ServerGroupAntiAffinityFilter',
            'AvailabilityZoneFilter', 'AllHostsFilter', 'SameHostFilter',
            'DifferentHostFilter', 'NumInstancesFilter', 'IoOpsFilter'} <= names
    assert 'BaseHostFilter' not in names


def test_all_hosts_filter():
    assert all_hosts_filter.AllHostsFilter().host_passes(fakes.host_state(),
                                                         fakes.request_spec())


def test_compute_filter_accepts_live_enabled_service():
    flt = compute_filter.ComputeFilter()
    assert flt.host_passes(fakes.host_state(), fakes.request_spec())


def test_compute_filter_rejects_disabled_down_and_missing_services():
    flt = compute_filter.ComputeFilter()
    spec = fakes.request_spec()
    assert not flt.host_passes(fakes.host_state(service=fakes.FakeService(disabled=True)),
                               spec)
    down = fakes.FakeService(updated_at=fakes.long_ago())
    assert not flt.host_passes(fakes.host_state(service=down), spec)
    forced = fakes.FakeService(forced_down=True)
    assert not flt.host_passes(fakes.host_state(service=forced), spec)
    state = fakes.host_state()
    state.service = None
    assert not flt.host_passes(state, spec)


@pytest.mark.parametrize('value, requirement, expected', [
    ('4', '= 2', True), ('1', '= 2', False), ('2', '== 2', True), ('3', '!= 2', True),
    ('3', '>= 3', True), ('3', '<= 2', False), ('abc', 's== abc', True),
    ('abc', 's!= abc', False), ('a', 's< b', True), ('b', 's> a', True),
    ('ssd fast', '<in> fast', True), ('ssd', '<in> fast', False),
    ("['a', 'b']", '<all-in> a b', True), ("['a']", '<all-in> a b', False),
    ('kvm', '<or> xen <or> kvm', True), ('qemu', '<or> xen <or> kvm', False),
    ('plain', 'plain', True), ('plain', 'other', False), ('x', '>= 1', False),
])
def test_extra_specs_ops(value, requirement, expected):
    assert extra_specs_ops.match(value, requirement) is expected


def test_compute_capabilities_filter():
    flt = compute_capabilities_filter.ComputeCapabilitiesFilter()
    state = fakes.host_state(hypervisor_type='fake', hypervisor_version=1000,
                             cpu_info='{"arch": "x86_64", "features": ["sse"]}',
                             stats={'custom': 'yes'})
    assert flt.host_passes(state, fakes.request_spec())
    assert flt.host_passes(state, fakes.request_spec(extra_specs={
        'capabilities:hypervisor_type': 'fake',
        'capabilities:hypervisor_version': '>= 900',
        'capabilities:cpu_info:arch': 'x86_64',
        'hw:cpu_policy': 'shared',            # another scope: ignored
        'resources:VCPU': '2',                # Placement's business: ignored
        'custom': 'yes',                      # unscoped: read from stats
    }))
    assert not flt.host_passes(state, fakes.request_spec(
        extra_specs={'capabilities:hypervisor_type': 'kvm'}))
    assert not flt.host_passes(state, fakes.request_spec(
        extra_specs={'capabilities:hypervisor_version': '>= 2000'}))
    assert not flt.host_passes(state, fakes.request_spec(
        extra_specs={'capabilities:missing': 'x'}))


def test_image_properties_filter(conf):
    flt = image_props_filter.ImagePropertiesFilter()
    state = fakes.host_state(supported_instances=[('x86_64', 'fake', 'hvm'),
                                                  ('i686', 'fake', 'hvm')])
    assert flt.host_passes(state, fakes.request_spec())
    assert flt.host_passes(state, fakes.request_spec(image_props={'hw_architecture': 'x86_64'}))
    assert flt.host_passes(state, fakes.request_spec(image_props={'architecture': 'amd64'}))
    assert flt.host_passes(state, fakes.request_spec(image_props={
        'hw_architecture': 'i386', 'img_hv_type': 'fake', 'hw_vm_mode': 'hv'}))
    assert not flt.host_passes(state, fakes.request_spec(
        image_props={'hw_architecture': 'aarch64'}))
    assert not flt.host_passes(state, fakes.request_spec(image_props={'img_hv_type': 'kvm'}))
    # A host reporting nothing cannot satisfy an explicit requirement.
    assert not flt.host_passes(fakes.host_state(supported_instances=[]), fakes.request_spec(
        image_props={'hw_architecture': 'x86_64'}))
    conf.set_override('image_properties_default_architecture', 'aarch64',
                      group='filter_scheduler')
    assert not flt.host_passes(state, fakes.request_spec())


def test_availability_zone_filter():
    flt = availability_zone_filter.AvailabilityZoneFilter()
    in_az1 = fakes.host_state(aggregates=[fakes.aggregate('a', availability_zone='az1')])
    plain = fakes.host_state('host2')
    assert flt.host_passes(in_az1, fakes.request_spec())
    assert flt.host_passes(in_az1, fakes.request_spec(availability_zone='az1'))
    assert not flt.host_passes(in_az1, fakes.request_spec(availability_zone='nova'))
    assert flt.host_passes(plain, fakes.request_spec(availability_zone='nova'))
    assert not flt.host_passes(plain, fakes.request_spec(availability_zone='az1'))


def test_num_instances_and_io_ops_filters(conf):
    conf.set_override('max_instances_per_host', 2, group='filter_scheduler')
    flt = num_instances_filter.NumInstancesFilter()
    assert flt.host_passes(fakes.host_state(num_instances=1), fakes.request_spec())
    assert not flt.host_passes(fakes.host_state(num_instances=2), fakes.request_spec())
    agg = num_instances_filter.AggregateNumInstancesFilter()
    roomy = fakes.host_state(num_instances=2, aggregates=[
        fakes.aggregate(max_instances_per_host='5')])
    assert agg.host_passes(roomy, fakes.request_spec())
    io = io_ops_filter.IoOpsFilter()
    assert io.host_passes(fakes.host_state(num_io_ops=7), fakes.request_spec())
    assert not io.host_passes(fakes.host_state(num_io_ops=8), fakes.request_spec())


def test_handler_runs_filters_in_order_and_stops_when_empty():
    calls = []

    class Reject(filters.BaseHostFilter):
        def host_passes(self, host_state, spec_obj):
            calls.append('reject')
            return False

    class Count(filters.BaseHostFilter):
        def host_passes(self, host_state, spec_obj):
            calls.append('count')
            return True

    hosts = [fakes.host_state('a'), fakes.host_state('b')]
    handler = filters.HostFilterHandler()
    assert handler.get_filtered_objects([Reject(), Count()], hosts,
                                        fakes.request_spec()) == []
    assert calls == ['reject', 'reject']


def test_filters_skipped_on_rebuild_and_once_per_request():
    class NoRebuild(filters.BaseHostFilter):
        RUN_ON_REBUILD = False

        def host_passes(self, host_state, spec_obj):
            return False

    class Once(filters.BaseHostFilter):
        run_filter_once_per_request = True

        def host_passes(self, host_state, spec_obj):
            return False

    hosts = [fakes.host_state()]
    handler = filters.HostFilterHandler()
    rebuild = fakes.request_spec(hints={'_nova_check_type': ['rebuild']})
    assert handler.get_filtered_objects([NoRebuild()], hosts, rebuild) == hosts
    assert handler.get_filtered_objects([Once()], hosts, fakes.request_spec(), index=1) == hosts
    assert handler.get_filtered_objects([Once()], hosts, fakes.request_spec(), index=0) == []


def test_compute_filter_judges_liveness_as_of_when_the_record_was_read():
    # A record read at the start of a long multi-create is not "down" halfway
    # through because the copy aged: it was fresh when read.
    flt = compute_filter.ComputeFilter()
    read_at = fakes.long_ago()
    state = fakes.host_state(service=fakes.FakeService(updated_at=read_at),
                             service_read_at=read_at)
    assert flt.host_passes(state, fakes.request_spec())
    state.service_read_at = None  # as of now: the old heartbeat is too old
    assert not flt.host_passes(state, fakes.request_spec())


def _mixed_hosts():
    from nova.scheduler.filters import affinity_filter  # noqa: F401
    return [
        fakes.host_state('a', supported_instances=[('x86_64', 'fake', 'hvm')],
                         hypervisor_type='fake', instances={'m1': None}),
        fakes.host_state('b', supported_instances=[('aarch64', 'qemu', 'hvm')],
                         hypervisor_type='qemu'),
        fakes.host_state('c', supported_instances=[], hypervisor_type='fake',
                         service=fakes.FakeService(disabled=True)),
        fakes.host_state('d', supported_instances=[('x86_64', 'qemu', 'hvm')],
                         hypervisor_type='qemu', instances={'m2': None},
                         service=fakes.FakeService(updated_at=fakes.long_ago())),
    ]


@pytest.mark.parametrize('spec_kwargs', [
    {},
    {'image_props': {'hw_architecture': 'x86_64'}},
    {'image_props': {'img_hv_type': 'qemu'}},
    {'extra_specs': {'capabilities:hypervisor_type': 'fake'}},
    {'extra_specs': {'hw:cpu_policy': 'shared'}},
    {'group': fakes.group('affinity', members=['m1'], hosts=['a'])},
    {'group': fakes.group('affinity')},
    {'group': fakes.group('anti-affinity', members=['m1', 'm2'])},
    {'hints': {'same_host': ['m2']}},
    {'hints': {'different_host': ['m1']}},
])
def test_each_filter_keeps_on_a_list_the_hosts_it_passes_one_by_one(spec_kwargs):
    """Filtering a list (with its once-per-request shortcuts) keeps exactly the hosts
    host_passes accepts one at a time."""
    from nova.scheduler.filters import affinity_filter
    hosts = _mixed_hosts()
    spec = fakes.request_spec(**spec_kwargs)
    for cls in (compute_filter.ComputeFilter,
                compute_capabilities_filter.ComputeCapabilitiesFilter,
                image_props_filter.ImagePropertiesFilter,
                affinity_filter.ServerGroupAffinityFilter,
                affinity_filter.ServerGroupAntiAffinityFilter,
                affinity_filter.SameHostFilter, affinity_filter.DifferentHostFilter):
        flt = cls()
        one_by_one = [h.host for h in hosts if flt.host_passes(h, spec)]
        assert [h.host for h in flt.filter_all(hosts, spec)] == one_by_one, cls.__name__
        if flt.accepts_all(spec):
            assert one_by_one == ['a', 'b', 'c', 'd'], cls.__name__


def test_accepts_all_only_when_the_request_gives_the_filter_nothing_to_check():
    from nova.scheduler.filters import affinity_filter
    caps = compute_capabilities_filter.ComputeCapabilitiesFilter()
    assert caps.accepts_all(fakes.request_spec(extra_specs={'hw:cpu_policy': 'x'}))
    assert not caps.accepts_all(fakes.request_spec(extra_specs={'custom': 'yes'}))
    image = image_props_filter.ImagePropertiesFilter()
    assert image.accepts_all(fakes.request_spec())
    assert not image.accepts_all(fakes.request_spec(image_props={'hw_vm_mode': 'hvm'}))
    affinity = affinity_filter.ServerGroupAffinityFilter()
    assert affinity.accepts_all(fakes.request_spec(group=fakes.group('affinity')))
    assert not affinity.accepts_all(fakes.request_spec(
        group=fakes.group('affinity', hosts=['a'])))
    anti = affinity_filter.ServerGroupAntiAffinityFilter()
    assert anti.accepts_all(fakes.request_spec(group=fakes.group('soft-anti-affinity')))
    assert not anti.accepts_all(fakes.request_spec(group=fakes.group('anti-affinity')))
    assert not compute_filter.ComputeFilter().accepts_all(fakes.request_spec())
