"""Server group affinity and anti-affinity (max_server_per_host, a move staying put),
and the same_host / different_host hints."""

from nova import objects
from nova.scheduler.filters import affinity_filter
from tests.unit.scheduler import fakes


def test_affinity_filter():
    flt = affinity_filter.ServerGroupAffinityFilter()
    assert flt.host_passes(fakes.host_state(), fakes.request_spec())
    first = fakes.request_spec(group=fakes.group('affinity'))
    assert flt.host_passes(fakes.host_state('any'), first)
    spec = fakes.request_spec(group=fakes.group('affinity', hosts=['host1']))
    assert flt.host_passes(fakes.host_state('host1'), spec)
    assert not flt.host_passes(fakes.host_state('host2'), spec)
    # Anti-affinity groups are not this filter's business.
    anti = fakes.request_spec(group=fakes.group('anti-affinity', hosts=['host1']))
    assert flt.host_passes(fakes.host_state('host2'), anti)


def test_anti_affinity_filter():
    flt = affinity_filter.ServerGroupAntiAffinityFilter()
    member = 'aaaaaaaa-0000-0000-0000-000000000001'
    other = 'aaaaaaaa-0000-0000-0000-000000000002'
    busy = fakes.host_state('host1', instances={member: objects.Instance(uuid=member)})
    free = fakes.host_state('host2', instances={other: objects.Instance(uuid=other)})
    spec = fakes.request_spec(group=fakes.group('anti-affinity', members=[member]))
    assert not flt.host_passes(busy, spec)
    assert flt.host_passes(free, spec)
    # max_server_per_host raises the bar.
    two = fakes.request_spec(group=fakes.group('anti-affinity', members=[member],
                                               rules={'max_server_per_host': '2'}))
    assert flt.host_passes(busy, two)
    # A server already on the host (a move) may stay.
    moving = fakes.request_spec(instance_uuid=member,
                                group=fakes.group('anti-affinity', members=[member]))
    assert flt.host_passes(busy, moving)
    assert flt.host_passes(busy, fakes.request_spec(group=fakes.group('affinity')))


def test_same_and_different_host_filters():
    inst = 'aaaaaaaa-0000-0000-0000-000000000003'
    host1 = fakes.host_state('host1', instances={inst: objects.Instance(uuid=inst)})
    host2 = fakes.host_state('host2')
    same = affinity_filter.SameHostFilter()
    different = affinity_filter.DifferentHostFilter()
    spec = fakes.request_spec(hints={'same_host': [inst]})
    assert same.host_passes(host1, spec) and not same.host_passes(host2, spec)
    spec = fakes.request_spec(hints={'different_host': [inst]})
    assert different.host_passes(host2, spec) and not different.host_passes(host1, spec)
    assert same.host_passes(host2, fakes.request_spec())
    assert different.host_passes(host1, fakes.request_spec())
