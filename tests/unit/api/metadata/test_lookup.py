"""Finding the instance a metadata request comes from, over real API and cell
databases: by uuid through its mapping (nothing while unscheduled or deleted), by
fixed IP through an index that rescans when it misses (at most so often) and never
serves an address that moved."""

import pytest

import nova.conf
from nova.api.metadata import lookup
from nova import context as nova_context
from nova import objects
from tests.unit.api.metadata.conftest import sample_network_info

CONF = nova.conf.CONF


def _vif(address):
    vif = sample_network_info()[0]
    vif['network']['subnets'] = [{'cidr': '10.0.0.0/24', 'version': 4, 'ips': [
        {'address': address, 'type': 'fixed', 'version': 4}]}]
    return [vif]


def _server(ctxt, cell, address=None, mapped=True):
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance(cctxt, project_id='p', user_id='u', host='h1',
                                    metadata={}, system_metadata={})
        instance.create()
        if address:
            instance.info_cache.network_info = _vif(address)
            instance.info_cache.save()
    objects.InstanceMapping(ctxt, instance_uuid=instance.uuid, project_id='p',
                            cell_mapping=cell if mapped else None).create()
    return instance


@pytest.fixture
def cell1(fake_rpc, ctxt, two_cells):
    return two_cells[1]


def test_by_uuid_through_the_mapping(ctxt, cell1):
    server = _server(ctxt, cell1)
    assert lookup.get_by_uuid(server.uuid).uuid == server.uuid
    assert lookup.get_by_uuid('00000000-0000-0000-0000-00000000000a') is None
    waiting = _server(ctxt, cell1, mapped=False)
    assert lookup.get_by_uuid(waiting.uuid) is None
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.Instance.get_by_uuid(cctxt, server.uuid).destroy()
    assert lookup.get_by_uuid(server.uuid) is None


def test_by_address_with_a_rescan_on_a_miss(ctxt, cell1):
    first = _server(ctxt, cell1, '10.0.0.5')
    index = lookup.AddressIndex(max_age=3600, min_rescan=0)
    assert index.get('10.0.0.5').uuid == first.uuid
    later = _server(ctxt, cell1, '10.0.0.6')  # not in the index yet: a miss rescans
    assert index.get('10.0.0.6').uuid == later.uuid
    assert index.get('10.0.0.99') is None


def test_a_miss_does_not_rescan_more_often_than_allowed(ctxt, cell1):
    index = lookup.AddressIndex(max_age=3600, min_rescan=3600)
    assert index.get('10.0.0.5') is None
    _server(ctxt, cell1, '10.0.0.5')
    assert index.get('10.0.0.5') is None  # the index is young: no rescan yet


def test_an_address_that_moved_is_not_served_to_its_old_guest(ctxt, cell1):
    old = _server(ctxt, cell1, '10.0.0.5')
    index = lookup.AddressIndex(max_age=3600, min_rescan=0)
    assert index.get('10.0.0.5').uuid == old.uuid
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        moved = objects.Instance.get_by_uuid(cctxt, old.uuid)
        moved.info_cache.network_info = _vif('10.0.0.7')
        moved.info_cache.save()
    new = _server(ctxt, cell1, '10.0.0.5')
    assert index.get('10.0.0.5').uuid == new.uuid


def test_local_metadata_per_cell_reads_its_own_database(ctxt, cell1):
    server = _server(ctxt, cell1, '10.0.0.5')
    CONF.set_override('local_metadata_per_cell', True, group='api')
    try:
        # [database] connection is the per-test cell database, cell1's.
        assert lookup.get_by_uuid(server.uuid).uuid == server.uuid
        assert lookup.AddressIndex().get('10.0.0.5').uuid == server.uuid
    finally:
        CONF.clear_override('local_metadata_per_cell', group='api')
