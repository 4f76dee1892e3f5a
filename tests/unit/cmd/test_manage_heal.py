"""Healing an instance's allocations: what the flavor asks for, instances skipped,
dry run, wrong owner fixed, --force, and the failures the exit codes are made of
(Placement is an in-memory stand-in; the functional tests use the real one)."""

import contextlib
import uuid

import pytest

from nova.cmd import manage_heal
from nova import context
from nova import exception
from nova import objects
from tests.unit.cmd.fake_placement import FakePlacement, MISSING, RP1


def _instance(**changes):
    flavor = objects.Flavor(flavorid='1', name='small', vcpus=2, memory_mb=1024, root_gb=10,
                            ephemeral_gb=5, swap=1500, extra_specs={})
    values = dict(uuid=str(uuid.uuid4()), host='host1', node='node1', task_state=None,
                  image_ref='image', project_id='project', user_id='user', flavor=flavor)
    values.update(changes)
    return objects.Instance(**values)


@pytest.fixture
def node_lookup(monkeypatch):
    nodes = {('host1', 'node1'): RP1}

    def get_by_host_and_nodename(ctxt, host, node):
        if (host, node) not in nodes:
            raise exception.ComputeHostNotFound(host=host)
        return objects.ComputeNode(uuid=nodes[(host, node)])
    monkeypatch.setattr(objects.ComputeNode, 'get_by_host_and_nodename',
                        get_by_host_and_nodename)
    return nodes


def _healer(placement, dry_run=False, force=False):
    said = []
    return manage_heal.AllocationHealer(placement, said.append, dry_run, force), said


def test_flavor_resources_count_swap_ephemeral_and_extra_specs():
    instance = _instance()
    assert manage_heal.flavor_resources(instance) == {
        'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10 + 5 + 2}
    volume_backed = _instance(image_ref='')
    assert manage_heal.flavor_resources(volume_backed)['DISK_GB'] == 5 + 2
    instance.flavor.extra_specs = {'resources:VCPU': '0', 'resources:PCPU': '2',
                                   'resources:CUSTOM_GOLD': '1'}
    assert manage_heal.flavor_resources(instance) == {
        'PCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 17, 'CUSTOM_GOLD': 1}


def test_missing_allocations_are_created_from_the_flavor(node_lookup):
    placement = FakePlacement()
    healer, said = _healer(placement)
    instance = _instance(image_ref='')
    assert healer.heal_instance(None, instance) is True
    assert placement.puts == [(instance.uuid, {
        'allocations': {RP1: {'resources': {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 7}}},
        'project_id': 'project', 'user_id': 'user', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'})]
    assert said == ['Successfully created allocations for instance %s.' % instance.uuid]
    assert healer.heal_instance(None, instance) is False
    assert said[-1] == ('The allocation of instance %s is up-to-date. Nothing to be healed.'
                        % instance.uuid)


@pytest.mark.parametrize('changes, message', [
    ({'task_state': 'migrating'}, 'is undergoing a task state transition: migrating'),
    ({'node': None, 'host': None}, 'is not on a host.'),
])
def test_instances_in_transition_or_without_host_are_skipped(node_lookup, changes, message):
    placement = FakePlacement()
    healer, said = _healer(placement)
    instance = _instance(**changes)
    assert healer.heal_instance(None, instance) is False
    assert said == ['Instance %s %s' % (instance.uuid, message)]
    assert placement.puts == []


def test_dry_run_changes_nothing(node_lookup):
    placement = FakePlacement()
    healer, said = _healer(placement, dry_run=True)
    instance = _instance()
    assert healer.heal_instance(None, instance) is False
    assert said[0].startswith('[dry-run] Create allocations for instance %s: {'
                              % instance.uuid)
    placement.add(instance.uuid, RP1, {'VCPU': 2}, project='other')
    assert healer.heal_instance(None, instance) is False
    assert said[1].startswith('[dry-run] Update allocations for instance %s: {'
                              % instance.uuid)
    assert placement.puts == []


def test_wrong_project_and_user_are_fixed_keeping_the_resources(node_lookup):
    placement = FakePlacement()
    instance = _instance()
    placement.add(instance.uuid, 'rp-shared', {'DISK_GB': 20}, project=None, user=None)
    healer, said = _healer(placement)
    assert healer.heal_instance(None, instance) is True
    consumer, body = placement.puts[0]
    assert body == {'allocations': {'rp-shared': {'resources': {'DISK_GB': 20}}},
                    'project_id': 'project', 'user_id': 'user', 'consumer_generation': 1,
                    'consumer_type': 'INSTANCE'}
    assert said == ['Successfully updated allocations for instance %s.' % instance.uuid]


def test_force_rewrites_existing_allocations_from_the_flavor(node_lookup):
    placement = FakePlacement()
    instance = _instance()
    placement.add(instance.uuid, RP1, {'VCPU': 64})
    healer, said = _healer(placement, force=True)
    assert healer.heal_instance(None, instance) is True
    body = placement.puts[0][1]
    assert body['allocations'] == {RP1: {'resources': {
        'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 17}}}
    assert body['consumer_generation'] == 1
    assert said[0] == 'Force flag passed for instance %s' % instance.uuid


def test_failures_raise_what_the_exit_codes_are_made_of(node_lookup):
    placement = FakePlacement()
    placement.put_result = False
    healer, _ = _healer(placement)
    with pytest.raises(exception.AllocationCreateFailed):
        healer.heal_instance(None, _instance())
    with pytest.raises(exception.ComputeHostNotFound):
        healer.heal_instance(None, _instance(node='gone'))
    instance = _instance()
    placement.add(instance.uuid, RP1, {'VCPU': 2}, project='other')
    with pytest.raises(exception.AllocationUpdateFailed):
        healer.heal_instance(None, instance)

    def unreadable(ctxt, consumer):
        raise exception.ConsumerAllocationRetrievalFailed(consumer_uuid=consumer, error='x')
    placement.get_allocs_for_consumer = unreadable
    with pytest.raises(exception.AllocationUpdateFailed):
        healer.heal_instance(None, _instance())


@pytest.mark.parametrize('error, code', [
    (exception.ComputeHostNotFound(host='h'), 2),
    (exception.AllocationCreateFailed(instance='i', provider='p'), 3),
    (exception.AllocationUpdateFailed(consumer_uuid='i', error=''), 3),
    (exception.PlacementAPIConnectFailure(), 3),
])
def test_heal_maps_failures_to_exit_codes(monkeypatch, capsys, error, code):
    monkeypatch.setattr(context, 'target_cell',
                        lambda ctxt, cell: contextlib.nullcontext(ctxt))
    healer, _ = _healer(FakePlacement())

    def fail(*args):
        raise error
    healer.heal_cell = fail
    cell = objects.CellMapping(uuid=MISSING, name='cell1')
    assert manage_heal.heal(None, healer, [cell], 50, True) == code
    assert capsys.readouterr().out == error.format_message() + '\n'


def test_heal_counts_healed_instances_across_cells(monkeypatch):
    monkeypatch.setattr(context, 'target_cell',
                        lambda ctxt, cell: contextlib.nullcontext(ctxt))
    healer, said = _healer(FakePlacement())
    healed_per_cell = iter([2, 1])
    healer.heal_cell = lambda cctxt, batch, unlimited, instance_uuid: next(healed_per_cell)
    cells = [objects.CellMapping(uuid=str(uuid.uuid4()), name='c%d' % i) for i in range(2)]
    assert manage_heal.heal(None, healer, cells, 3, False) == 1
    assert said[-1] == 'Max count reached. Processed 3 instances.'
    healed_per_cell = iter([2, 1])
    assert manage_heal.heal(None, healer, cells, 50, True) == 0
    assert said[-1] == 'Processed 3 instances.'
