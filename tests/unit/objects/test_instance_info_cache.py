"""An instance's network info cache against a migrated SQLite cell database: VIF lists
carried as JSON, saved only when changed, a missing cache not found, refresh."""

import pytest
from oslo_utils import uuidutils

from nova.db.main import instance_api
from nova import exception
from nova import objects
from nova.objects import instance_info_cache

VIFS = [{'id': 'port-1', 'address': 'fa:16:3e:00:00:01'}]


@pytest.fixture
def uuid(ctxt):
    return instance_api.instance_create(ctxt, {'project_id': 'p'})['uuid']


@pytest.mark.parametrize('given, kept', [
    ('[{"id": "p"}]', [{'id': 'p'}]), ('', []), ((), []), (VIFS, VIFS)])
def test_the_field_takes_json_text_or_a_list(given, kept):
    assert instance_info_cache.NetworkModel.coerce(None, 'network_info', given) == kept


def test_the_field_refuses_other_types():
    with pytest.raises(ValueError):
        instance_info_cache.NetworkModel.coerce(None, 'network_info', {'id': 'p'})


def test_json_on_the_wire():
    cache = objects.InstanceInfoCache(instance_uuid=uuidutils.generate_uuid(),
                                      network_info=VIFS)
    primitive = cache.obj_to_primitive()
    assert primitive['nova_object.data']['network_info'] == (
        '[{"id": "port-1", "address": "fa:16:3e:00:00:01"}]')
    assert objects.InstanceInfoCache.obj_from_primitive(primitive).network_info == VIFS
    assert 'port-1' in instance_info_cache.NetworkModel().stringify(VIFS)


def test_save_writes_only_a_change(ctxt, uuid):
    cache = objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid)
    assert cache.network_info == [] and not cache.deleted
    updated_at = cache.updated_at
    cache.save()  # nothing changed
    assert objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid).updated_at == updated_at
    cache.network_info = VIFS
    cache.save()
    assert objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid).network_info == VIFS
    assert not cache.obj_what_changed()


def test_a_new_cache_is_written_on_first_save(ctxt, uuid):
    cache = objects.InstanceInfoCache.new(ctxt, uuid)
    assert cache.obj_what_changed() == {'network_info'}
    cache.network_info = VIFS
    cache.save()
    assert objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid).network_info == VIFS


def test_refresh_and_delete(ctxt, uuid):
    stale = objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid)
    fresh = objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid)
    fresh.network_info = VIFS
    fresh.save()
    stale.refresh()
    assert stale.network_info == VIFS and not stale.obj_what_changed()
    stale.delete()
    with pytest.raises(exception.InstanceInfoCacheNotFound):
        objects.InstanceInfoCache.get_by_instance_uuid(ctxt, uuid)
