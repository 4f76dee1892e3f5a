"""The scheduling loop with a fake Placement client and in-memory HostStates."""

import json
import types

import pytest

import nova.conf
from nova import exception
from nova import objects
from nova.scheduler import filter_scheduler
from nova.scheduler import host_manager
from tests.unit.scheduler import fakes

CONF = nova.conf.CONF
UUIDS = ['0a000000-0000-0000-0000-00000000000%d' % i for i in range(1, 6)]


class FakePlacement(object):
    """Candidates for the given hosts; claims succeed while ``capacity`` allows."""

    def __init__(self, hosts, capacity=None, refuse=()):
        self.hosts = hosts
        self.capacity = dict(capacity or {})
        self.refuse = set(refuse)
        self.claims = {}
        self.deleted = []
        self.queries = []

    def get_allocation_candidates(self, ctxt, request):
        self.queries.append(request.to_querystring())
        reqs = [{'allocations': {h.uuid: {'resources': request.merged_resources()}}}
                for h in self.hosts]
        summaries = {h.uuid: {'root_provider_uuid': h.uuid, 'resources': {}}
                     for h in self.hosts}
        return reqs, summaries, '1.36'

    def claim_resources(self, ctxt, consumer, alloc_req, project_id, user_id,
                        allocation_request_version=None):
        (rp,) = alloc_req['allocations']
        if rp in self.refuse:
            return False
        if rp in self.capacity:
            if self.capacity[rp] <= 0:
                return False
            self.capacity[rp] -= 1
        self.claims[consumer] = rp
        return True

    def delete_allocation_for_instance(self, ctxt, uuid):
        self.deleted.append(uuid)
        self.claims.pop(uuid, None)
        return True


class FakeHostManager(host_manager.HostManager):
    def __init__(self, hosts):
        super().__init__()
        self.hosts = hosts

    def get_host_states_by_uuids(self, context, compute_uuids, spec_obj=None):
        return [h for h in self.hosts if compute_uuids is None or h.uuid in compute_uuids]

    def get_compute_nodes_by_host_or_node(self, context, host=None, node=None, cell=None):
        return [types.SimpleNamespace(uuid=h.uuid, host=h.host, hypervisor_hostname=h.nodename)
                for h in self.hosts
                if (not host or h.host == host) and (not node or h.nodename == node)]


class Ctxt(object):
    project_id = 'project'
    user_id = 'user'

    def elevated(self):
        return self


@pytest.fixture
def conf():
    yield CONF
    for name in ('host_subset_size', 'enabled_filters'):
        CONF.clear_override(name, group='filter_scheduler')
    CONF.clear_override('max_attempts', group='scheduler')


def _hosts(*specs):
    return [fakes.host_state(name, uuid='%08d-0000-0000-0000-000000000000' % i,
                             free_ram_mb=ram)
            for i, (name, ram) in enumerate(specs, start=1)]


def _scheduler(hosts, **placement_kwargs):
    placement = FakePlacement(hosts, **placement_kwargs)
    return filter_scheduler.FilterScheduler(FakeHostManager(hosts), placement), placement


def test_best_weighed_host_is_claimed_and_alternates_follow(conf):
    hosts = _hosts(('small', 1024), ('big', 8192), ('mid', 4096))
    sched, placement = _scheduler(hosts)
    result = sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[0]],
                                       return_alternates=True)
    assert len(result) == 1
    picks = result[0]
    assert [s.service_host for s in picks] == ['big', 'mid', 'small']
    assert placement.claims == {UUIDS[0]: hosts[1].uuid}
    first = picks[0]
    assert first.compute_node_uuid == hosts[1].uuid
    assert first.cell_uuid == fakes.CELL
    assert first.availability_zone == 'nova'
    assert first.allocation_request_version == '1.36'
    assert list(json.loads(first.allocation_request)['allocations']) == [hosts[1].uuid]
    assert list(json.loads(picks[1].allocation_request)['allocations']) == [hosts[2].uuid]
    assert 'root_required=%21COMPUTE_STATUS_DISABLED' in placement.queries[0]


def test_alternates_are_limited_by_max_attempts(conf):
    conf.set_override('max_attempts', 2, group='scheduler')
    sched, _ = _scheduler(_hosts(('a', 1024), ('b', 2048), ('c', 4096)))
    picks = sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[0]],
                                      return_alternates=True)[0]
    assert len(picks) == 2
    picks = sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[1]])[0]
    assert len(picks) == 1


def test_a_failed_claim_moves_on_to_the_next_host(conf):
    hosts = _hosts(('a', 1024), ('b', 8192))
    sched, placement = _scheduler(hosts, refuse=[hosts[1].uuid])
    picks = sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[0]])[0]
    assert picks[0].service_host == 'a'
    assert placement.claims == {UUIDS[0]: hosts[0].uuid}


def test_no_candidates_means_no_valid_host(conf):
    sched, placement = _scheduler([])
    with pytest.raises(exception.NoValidHost):
        sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[0]])


def test_filters_removing_everything_means_no_valid_host(conf):
    hosts = _hosts(('a', 1024))
    hosts[0].service = fakes.FakeService(disabled=True)
    sched, placement = _scheduler(hosts)
    with pytest.raises(exception.NoValidHost):
        sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[0]])
    assert placement.claims == {}


def test_multiple_servers_spread_as_weighed_and_consume(conf):
    hosts = _hosts(('a', 4096), ('b', 4000))
    sched, placement = _scheduler(hosts)
    spec = fakes.request_spec(memory_mb=1024, num_instances=3)
    result = sched.select_destinations(Ctxt(), spec, UUIDS[:3])
    assert [r[0].service_host for r in result] == ['a', 'b', 'a']
    assert len(placement.claims) == 3
    assert hosts[0].free_ram_mb == 4096 - 2048
    assert hosts[0].num_instances == 2
    assert spec.instance_uuid == fakes.request_spec().instance_uuid


def test_a_later_server_without_host_undoes_earlier_claims(conf):
    hosts = _hosts(('a', 4096), ('b', 2048))
    sched, placement = _scheduler(hosts, capacity={hosts[0].uuid: 1, hosts[1].uuid: 1})
    with pytest.raises(exception.NoValidHost) as err:
        sched.select_destinations(Ctxt(), fakes.request_spec(num_instances=3), UUIDS[:3])
    assert 'not enough hosts' in str(err.value)
    assert sorted(placement.deleted) == sorted(UUIDS[:2])
    assert placement.claims == {}


def test_anti_affinity_spreads_a_multi_create(conf):
    hosts = _hosts(('a', 4096), ('b', 2048))
    sched, placement = _scheduler(hosts)
    spec = fakes.request_spec(group=fakes.group('anti-affinity'), num_instances=2)
    result = sched.select_destinations(Ctxt(), spec, UUIDS[:2])
    assert sorted(r[0].service_host for r in result) == ['a', 'b']
    spec = fakes.request_spec(group=fakes.group('anti-affinity'), num_instances=3)
    with pytest.raises(exception.NoValidHost):
        sched.select_destinations(Ctxt(), spec, UUIDS[2:5])


def test_affinity_packs_a_multi_create(conf):
    hosts = _hosts(('a', 4096), ('b', 4000))
    sched, _ = _scheduler(hosts)
    spec = fakes.request_spec(group=fakes.group('affinity'), num_instances=3)
    result = sched.select_destinations(Ctxt(), spec, UUIDS[:3])
    assert {r[0].service_host for r in result} == {'a'}
    assert spec.instance_group.hosts == ['a', 'a', 'a']


def test_host_subset_size_picks_among_the_best(conf, monkeypatch):
    hosts = _hosts(('a', 1000), ('b', 2000), ('c', 3000), ('d', 4000))
    sched, _ = _scheduler(hosts)
    seen = []
    monkeypatch.setattr(filter_scheduler.random, 'choice',
                        lambda items: seen.append([h.host for h in items]) or items[-1])
    conf.set_override('host_subset_size', 3, group='filter_scheduler')
    picks = sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[0]],
                                      return_alternates=True)[0]
    assert seen == [['d', 'c', 'b']]
    assert picks[0].service_host == 'b'
    conf.set_override('host_subset_size', 50, group='filter_scheduler')
    seen.clear()
    sched.select_destinations(Ctxt(), fakes.request_spec(), [UUIDS[1]])
    assert len(seen[0]) == 4


def test_forced_host_skips_filters_but_not_placement(conf):
    hosts = _hosts(('a', 4096), ('b', 1024))
    hosts[1].service = fakes.FakeService(disabled=True)
    sched, placement = _scheduler(hosts)
    spec = fakes.request_spec()
    spec.force_hosts = ['b']
    picks = sched.select_destinations(Ctxt(), spec, [UUIDS[0]])[0]
    assert picks[0].service_host == 'b'


def test_requested_destination_narrows_placement_and_hosts_but_keeps_filters(conf):
    hosts = _hosts(('a', 4096), ('b', 1024), ('c', 2048))
    sched, placement = _scheduler(hosts)
    spec = fakes.request_spec()
    spec.requested_destination = objects.Destination(host='b')
    picks = sched.select_destinations(Ctxt(), spec, [UUIDS[0]], return_alternates=True)[0]
    assert [p.service_host for p in picks] == ['b']
    assert 'in_tree=%s' % hosts[1].uuid in placement.queries[0]
    # Unlike a forced host, the filters still have their say.
    hosts[1].service = fakes.FakeService(disabled=True)
    with pytest.raises(exception.NoValidHost):
        sched.select_destinations(Ctxt(), spec, [UUIDS[1]])


def test_requested_node_unknown_to_the_cells_is_no_valid_host(conf):
    sched, placement = _scheduler(_hosts(('a', 4096)))
    spec = fakes.request_spec()
    spec.requested_destination = objects.Destination(node='elsewhere')
    with pytest.raises(exception.NoValidHost):
        sched.select_destinations(Ctxt(), spec, [UUIDS[0]])
    assert placement.queries == []


def test_unknown_enabled_filter_is_an_error(conf):
    conf.set_override('enabled_filters', ['NoSuchFilter'], group='filter_scheduler')
    with pytest.raises(exception.SchedulerHostFilterNotFound):
        _scheduler([])
