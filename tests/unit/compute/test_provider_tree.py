"""The compute host's picture of its resource providers: found by name or uuid, edits
that say whether anything changed (so only changes go to Placement), copies that
later edits do not reach."""

import pytest

from nova.compute import provider_tree

INVENTORY = {'VCPU': {'total': 8, 'reserved': 0}, 'MEMORY_MB': {'total': 4096}}


@pytest.fixture
def tree():
    made = provider_tree.ProviderTree()
    made.new_root('node1', 'rp-1', generation=3)
    return made


def test_a_provider_is_found_by_name_or_uuid(tree):
    assert tree.exists('node1') and tree.exists('rp-1') and not tree.exists('node2')
    assert tree.get_provider_uuids() == ['rp-1']
    with pytest.raises(ValueError):
        tree.data('node2')
    tree.remove('node1')
    assert not tree.exists('rp-1')


def test_edits_say_whether_anything_changed(tree):
    assert tree.update_inventory('node1', INVENTORY)
    assert not tree.update_inventory('rp-1', {k: dict(v) for k, v in INVENTORY.items()})
    assert tree.update_traits('node1', ['HW_CPU_X86_AVX', 'COMPUTE_NET_ATTACH_INTERFACE'])
    assert not tree.update_traits('node1', ['COMPUTE_NET_ATTACH_INTERFACE',
                                            'HW_CPU_X86_AVX'])
    assert tree.update_traits('node1', [])


def test_a_generation_comes_with_an_edit_or_on_its_own(tree):
    tree.update_inventory('node1', INVENTORY, generation=4)
    assert tree.data('node1').generation == 4
    tree.update_traits('node1', ['X'])  # no generation given: kept
    assert tree.data('node1').generation == 4
    tree.set_generation('rp-1', 7)
    assert tree.data('node1').generation == 7


def test_data_and_stored_inventory_are_copies(tree):
    inventory = {'VCPU': {'total': 8}}
    tree.update_inventory('node1', inventory)
    inventory['VCPU']['total'] = 1  # the caller's dict, changed afterwards
    data = tree.data('node1')
    assert data.inventory == {'VCPU': {'total': 8}}
    data.inventory['VCPU']['total'] = 2
    data.traits.add('Y')
    assert tree.data('node1').inventory == {'VCPU': {'total': 8}}
    assert tree.data('node1').traits == set()


def test_the_compute_node_rides_along(tree):
    tree.set_compute_node('node1', 'the-record')
    assert tree.data('rp-1').compute_node == 'the-record'


def test_a_removed_provider_is_gone_by_name_too_and_its_name_can_come_back(tree):
    tree.remove('rp-1')
    assert not tree.exists('node1')
    tree.new_root('node1', 'rp-2')
    assert tree.data('node1').uuid == 'rp-2'
    assert tree.get_provider_uuids() == ['rp-2']


def test_many_providers_are_each_found_by_name_and_uuid():
    made = provider_tree.ProviderTree()
    for i in range(50):
        made.new_root('node%d' % i, 'rp-%d' % i)
    assert all(made.data('node%d' % i).uuid == 'rp-%d' % i for i in range(50))
    assert all(made.data('rp-%d' % i).name == 'node%d' % i for i in range(50))
