"""Weighers: raw scores, normalisation, multipliers (config and aggregate overrides)."""

import pytest

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights
from nova.scheduler.weights import affinity
from nova.scheduler.weights import compute
from nova.scheduler.weights import cpu
from nova.scheduler.weights import disk
from nova.scheduler.weights import io_ops
from nova.scheduler.weights import ram
from tests.unit.scheduler import fakes

CONF = nova.conf.CONF
_OPTS = ('ram_weight_multiplier', 'cpu_weight_multiplier', 'disk_weight_multiplier',
         'io_ops_weight_multiplier')


@pytest.fixture
def conf():
    yield CONF
    for name in _OPTS:
        CONF.clear_override(name, group='filter_scheduler')


def _weigh(weigher_classes, hosts, spec=None):
    return weights.HostWeightHandler().get_weighed_objects(
        [cls() for cls in weigher_classes], hosts, spec or fakes.request_spec())


def test_all_weighers():
    names = {cls.__name__ for cls in weights.all_weighers()}
    assert {'RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'IoOpsWeigher', 'NumInstancesWeigher',
            'HypervisorVersionWeigher', 'BuildFailureWeigher',
            'ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher'} <= names


def test_normalize():
    assert utils.normalize([]) == []
    assert utils.normalize([5, 5]) == [0.0, 0.0]
    assert utils.normalize([0, 5, 10]) == [0.0, 0.5, 1.0]
    assert utils.normalize([5, 10], minval=0) == [0.5, 1.0]


def test_ram_weigher_spreads_by_default_and_packs_with_negative_multiplier(conf):
    hosts = [fakes.host_state('small', free_ram_mb=512), fakes.host_state('big',
                                                                          free_ram_mb=8192),
             fakes.host_state('mid', free_ram_mb=4096)]
    weighed = _weigh([ram.RAMWeigher], hosts)
    assert [w.obj.host for w in weighed] == ['big', 'mid', 'small']
    assert weighed[0].weight == 1.0
    assert weighed[1].weight == pytest.approx(0.5)  # minval is 0: 4096/8192
    conf.set_override('ram_weight_multiplier', -1.0, group='filter_scheduler')
    assert [w.obj.host for w in _weigh([ram.RAMWeigher], hosts)][0] == 'small'


def test_cpu_weigher_counts_the_allocation_ratio(conf):
    hosts = [fakes.host_state('a', vcpus_total=4, vcpus_used=2, cpu_allocation_ratio=4.0),
             fakes.host_state('b', vcpus_total=8, vcpus_used=2, cpu_allocation_ratio=1.0)]
    weighed = _weigh([cpu.CPUWeigher], hosts)
    assert [w.obj.host for w in weighed] == ['a', 'b']   # 14 free vs 6 free
    assert weighed[1].weight == pytest.approx(6 / 14.0)


def test_disk_weigher(conf):
    hosts = [fakes.host_state('a', free_disk_mb=1024), fakes.host_state('b',
                                                                        free_disk_mb=4096)]
    assert _weigh([disk.DiskWeigher], hosts)[0].obj.host == 'b'
    conf.set_override('disk_weight_multiplier', 0.0, group='filter_scheduler')
    assert {w.weight for w in _weigh([disk.DiskWeigher], hosts)} == {0.0}


def test_multipliers_combine_and_aggregate_overrides_win(conf):
    hosts = [fakes.host_state('ram-rich', free_ram_mb=8192, free_disk_mb=1024),
             fakes.host_state('disk-rich', free_ram_mb=1024, free_disk_mb=81920)]
    assert _weigh([ram.RAMWeigher, disk.DiskWeigher], hosts)[0].obj.host == 'disk-rich'
    conf.set_override('ram_weight_multiplier', 3.0, group='filter_scheduler')
    assert _weigh([ram.RAMWeigher, disk.DiskWeigher], hosts)[0].obj.host == 'ram-rich'
    hosts[0].aggregates = [fakes.aggregate(ram_weight_multiplier='0')]
    assert _weigh([ram.RAMWeigher, disk.DiskWeigher], hosts)[0].obj.host == 'disk-rich'


def test_io_ops_weigher_avoids_busy_hosts(conf):
    hosts = [fakes.host_state('busy', num_io_ops=5), fakes.host_state('idle', num_io_ops=0)]
    assert _weigh([io_ops.IoOpsWeigher], hosts)[0].obj.host == 'idle'


def test_build_failure_weigher():
    hosts = [fakes.host_state('bad', failed_builds=3), fakes.host_state('good')]
    weighed = _weigh([compute.BuildFailureWeigher], hosts)
    assert weighed[0].obj.host == 'good'
    assert weighed[1].weight == -1000000.0


def test_soft_anti_affinity_weigher_prefers_hosts_without_members():
    member = 'aaaaaaaa-0000-0000-0000-000000000001'
    from nova import objects
    hosts = [fakes.host_state('has', instances={member: objects.Instance(uuid=member)}),
             fakes.host_state('empty')]
    spec = fakes.request_spec(group=fakes.group('soft-anti-affinity', members=[member]))
    assert _weigh([affinity.ServerGroupSoftAntiAffinityWeigher], hosts,
                  spec)[0].obj.host == 'empty'
    spec = fakes.request_spec(group=fakes.group('soft-affinity', members=[member]))
    assert _weigh([affinity.ServerGroupSoftAffinityWeigher], hosts, spec)[0].obj.host == 'has'


def test_single_host_is_not_weighed():
    weighed = _weigh([ram.RAMWeigher], [fakes.host_state()])
    assert len(weighed) == 1 and weighed[0].weight == 0.0


def test_a_multiplier_is_worked_out_once_for_the_hosts_outside_aggregates(conf):
    calls = []

    class Counting(ram.RAMWeigher):
        def weight_multiplier(self, host_state):
            calls.append(host_state.host)
            return super().weight_multiplier(host_state)

    conf.set_override('ram_weight_multiplier', 2.0, group='filter_scheduler')
    agg = fakes.aggregate('agg', hosts=['h3'], ram_weight_multiplier='-1.0')
    hosts = [fakes.host_state('h%d' % i, free_ram_mb=1024 * (i + 1),
                              aggregates=[agg] if i == 3 else [])
             for i in range(6)]
    weighed = _weigh([Counting], hosts)
    assert sorted(calls) == ['h0', 'h3']   # one for the plain hosts, one in the aggregate
    by_host = {w.obj.host: w.weight for w in weighed}
    assert by_host['h5'] == pytest.approx(2.0)
    assert by_host['h1'] == pytest.approx(2.0 * 2 / 6)
    assert by_host['h3'] == pytest.approx(-1.0 * 4 / 6)


def test_soft_affinity_weighers_score_zero_without_their_group():
    hosts = [fakes.host_state('a', instances={'m1': None}), fakes.host_state('b')]
    for cls in (affinity.ServerGroupSoftAffinityWeigher,
                affinity.ServerGroupSoftAntiAffinityWeigher):
        weigher = cls()
        wrapped = [weights.WeighedHost(h, 0.0) for h in hosts]
        assert weigher.weigh_objects(wrapped, fakes.request_spec()) == [0, 0]
        assert (weigher.minval, weigher.maxval) == (0, 0)
    spec = fakes.request_spec(group=fakes.group('soft-affinity', members=['m1']))
    assert [w.obj.host for w in _weigh([affinity.ServerGroupSoftAffinityWeigher], hosts,
                                       spec)] == ['a', 'b']
