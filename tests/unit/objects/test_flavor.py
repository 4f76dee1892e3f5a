"""nova.objects.flavor over a real SQLite API database: create defaults, what save
may change, extra specs and access as diffs, lazy loads, listing filters and paging."""

import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from tests.unit.objects.records import _flavor

objects.register_all()


def _created(ctxt, flavorid='1', name='m1.tiny', memory_mb=512, root_gb=1, **extra):
    flavor = objects.Flavor(context=ctxt, flavorid=flavorid, name=name, memory_mb=memory_mb,
                            vcpus=1, root_gb=root_gb, **extra)
    flavor.create()
    return flavor


def test_create_fills_defaults_and_only_once(ctxt):
    flavor = _created(ctxt)
    assert (flavor.is_public, flavor.disabled, flavor.swap, flavor.ephemeral_gb,
            flavor.rxtx_factor) == (True, False, 0, 0, 1.0)
    assert flavor.obj_what_changed() == set()
    with pytest.raises(exception.ObjectActionError):
        flavor.create()
    assert objects.Flavor.get_by_name(ctxt, 'm1.tiny').id == flavor.id
    assert objects.Flavor.get_by_id(ctxt, flavor.id).flavorid == '1'
    with pytest.raises(exception.FlavorNotFound):
        objects.Flavor.get_by_flavor_id(ctxt, 'nope')
    with pytest.raises(exception.FlavorNotFoundByName):
        objects.Flavor.get_by_name(ctxt, 'nope')


def test_save_changes_description_specs_and_access_only(ctxt):
    flavor = _created(ctxt, extra_specs={'a': '1', 'b': '2'})
    flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
    assert flavor.extra_specs == {'a': '1', 'b': '2'}
    flavor.description = 'small'
    flavor.extra_specs = {'a': '10', 'c': '3'}
    flavor.projects = ['p1']
    flavor.save()
    again = objects.Flavor.get_by_flavor_id(ctxt, '1')
    assert again.description == 'small'
    assert again.extra_specs == {'a': '10', 'c': '3'}
    assert again.projects == ['p1']
    again.memory_mb = 1024
    with pytest.raises(exception.ObjectActionError) as err:
        again.save()
    assert 'memory_mb' in str(err.value)


def test_access_changes_refused_over_unsaved_project_edits(ctxt):
    flavor = _created(ctxt, is_public=False)
    flavor.add_access('p1')
    flavor.add_access('p2')
    assert sorted(flavor.projects) == ['p1', 'p2']
    flavor.remove_access('p1')
    assert flavor.projects == ['p2']
    flavor.projects = ['p3']
    with pytest.raises(exception.ObjectActionError):
        flavor.add_access('p4')
    with pytest.raises(exception.ObjectActionError):
        flavor.remove_access('p2')


def test_lazy_loads_and_orphans(ctxt):
    created = _created(ctxt, extra_specs={'k': 'v'})
    created.add_access('p1')
    loaded = objects.Flavor.get_by_id(ctxt, created.id)
    del loaded.projects  # forget what the read brought
    assert loaded.projects == ['p1'] and 'projects' not in loaded.obj_what_changed()
    with pytest.raises(exception.ObjectActionError):
        loaded.obj_load_attr('memory_mb')
    orphan = objects.Flavor(id=created.id)
    with pytest.raises(exception.OrphanedObjectError):
        orphan.extra_specs


def test_destroy_by_id_or_flavorid(ctxt):
    _created(ctxt, flavorid='1')
    _created(ctxt, flavorid='2', name='m1.small')
    objects.Flavor.get_by_flavor_id(ctxt, '1').destroy()
    objects.Flavor(context=ctxt, flavorid='2').destroy()
    assert list(objects.FlavorList.get_all(ctxt)) == []


def test_list_filters_and_private_flavors_granted_to_the_project(ctxt):
    _created(ctxt, flavorid='1', name='tiny', memory_mb=512, root_gb=1)
    _created(ctxt, flavorid='2', name='big', memory_mb=4096, root_gb=40)
    private = _created(ctxt, flavorid='3', name='secret', is_public=False)
    private.add_access('p1')

    def ids(context=ctxt, **kw):
        return [f.flavorid for f in objects.FlavorList.get_all(context, **kw)]

    assert ids() == ['1', '2', '3']
    assert ids(filters={'min_memory_mb': 1024}) == ['2']
    assert ids(filters={'min_root_gb': 2}) == ['2']
    assert ids(filters={'name': 'tiny'}) == ['1']
    assert ids(filters={'is_public': False}) == ['3']
    assert ids(filters={'is_public': True}) == ['1', '2']
    member = nova_context.RequestContext('u', 'p1', overwrite=False)
    assert ids(member, filters={'is_public': True}) == ['1', '2', '3']


def test_list_sorting_and_paging(ctxt):
    for flavorid, memory in (('a', 2048), ('b', 512), ('c', 2048)):
        _created(ctxt, flavorid=flavorid, name=flavorid, memory_mb=memory)

    def ids(**kw):
        return [f.flavorid for f in objects.FlavorList.get_all(ctxt, **kw)]

    assert ids(sort_key='memory_mb', sort_dir='desc') == ['c', 'a', 'b']
    assert ids(sort_key='memory_mb', limit=2) == ['b', 'a']
    # ties on the sort key are broken by id, so paging neither skips nor repeats
    assert ids(sort_key='memory_mb', marker='a') == ['c']
    assert ids(limit=1, marker='a') == ['b']
    with pytest.raises(exception.MarkerNotFound):
        ids(marker='zzz')
    with pytest.raises(exception.InvalidSortKey):
        ids(sort_key='no_such_column')
    with pytest.raises(exception.InvalidInput):
        ids(sort_dir='sideways')


def test_flavor_crud(ctxt):
    flavor = _flavor(ctxt, extra_specs={'a': '1'}, description='small')
    assert flavor.id and flavor.is_public and flavor.rxtx_factor == 1.0
    assert objects.Flavor.get_by_flavor_id(ctxt, '1').extra_specs == {'a': '1'}
    assert objects.Flavor.get_by_name(ctxt, 'm1.tiny').id == flavor.id
    got = objects.Flavor.get_by_id(ctxt, flavor.id)
    got.extra_specs['b'] = '2'
    del got.extra_specs['a']
    got.description = 'changed'
    got.save()
    again = objects.Flavor.get_by_id(ctxt, flavor.id)
    assert again.extra_specs == {'b': '2'} and again.description == 'changed'
    again.memory_mb = 1
    with pytest.raises(exception.ObjectActionError):
        again.save()
    with pytest.raises(exception.FlavorExists):
        _flavor(ctxt, flavorid='other')
    with pytest.raises(exception.FlavorIdExists):
        _flavor(ctxt, name='other')
    flavor.destroy()
    with pytest.raises(exception.FlavorNotFound):
        objects.Flavor.get_by_flavor_id(ctxt, '1')


def test_flavor_access_and_list(ctxt):
    public = _flavor(ctxt)
    private = _flavor(ctxt, name='private', flavorid='2', is_public=False)
    private.add_access('proj-a')
    with pytest.raises(exception.FlavorAccessExists):
        private.add_access('proj-a')
    assert objects.Flavor.get_by_id(ctxt, private.id).projects == ['proj-a']
    from nova import context as nova_context
    user = nova_context.RequestContext(user_id='u', project_id='proj-a', overwrite=False)
    visible = objects.FlavorList.get_all(user, filters={'is_public': True})
    assert {f.flavorid for f in visible} == {'1', '2'}
    other = nova_context.RequestContext(user_id='u', project_id='proj-b', overwrite=False)
    assert [f.flavorid for f in objects.FlavorList.get_all(
        other, filters={'is_public': True})] == ['1']
    page = objects.FlavorList.get_all(ctxt, marker=public.flavorid)
    assert [f.flavorid for f in page] == ['2']
    assert [f.flavorid for f in objects.FlavorList.get_all(
        ctxt, filters={'min_memory_mb': 1024})] == []
    private.remove_access('proj-a')
    with pytest.raises(exception.FlavorAccessNotFound):
        private.remove_access('proj-a')
    with pytest.raises(exception.MarkerNotFound):
        objects.FlavorList.get_all(ctxt, marker='nope')
