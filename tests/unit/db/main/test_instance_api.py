"""The cell database's instance queries against a migrated SQLite file: what a
create writes, which filters match how, sorting and marker pagination, the
compare-and-swap of an update, soft and hard delete, and the usage window."""

import datetime

import pytest
from oslo_utils import uuidutils

from nova.db.main import instance_api as db
from nova import exception


def _create(ctxt, **values):
    values.setdefault('project_id', ctxt.project_id)
    values.setdefault('user_id', ctxt.user_id)
    return db.instance_create(ctxt, values)


def _uuids(rows):
    return [row['uuid'] for row in rows]


def test_create_writes_the_pieces_and_returns_them_joined(ctxt):
    inst = _create(ctxt, display_name='web', metadata={'role': 'web'},
                   system_metadata={'image_min_ram': '0'}, tags=['b', 'a', 'b'],
                   info_cache={'network_info': '[]'}, extra={'flavor': '{}'},
                   columns_to_join=['tags', 'extra.flavor'])
    assert uuidutils.is_uuid_like(inst['uuid'])
    assert inst['metadata'] == {'role': 'web'}
    assert inst['system_metadata'] == {'image_min_ram': '0'}
    assert inst['info_cache']['network_info'] == '[]'
    assert inst['tags'] == ['a', 'b']  # duplicates written once, sorted
    assert inst['extra'] == {'instance_uuid': inst['uuid'], 'flavor': '{}'}
    assert inst['name'] == 'instance-%08x' % inst['id']
    with pytest.raises(exception.InstanceExists):
        _create(ctxt, uuid=inst['uuid'])


def test_get_by_uuid_refuses_a_malformed_uuid_and_a_missing_one(ctxt):
    with pytest.raises(exception.InvalidUUID):
        db.instance_get_by_uuid(ctxt, 'not-a-uuid')
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get_by_uuid(ctxt, uuidutils.generate_uuid())
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get(ctxt, 12345)


def test_joined_pieces_come_only_when_asked(ctxt):
    inst = _create(ctxt, metadata={'k': 'v'})
    plain = db.instance_get_by_uuid(ctxt, inst['uuid'])
    assert 'metadata' not in plain and 'extra' not in plain
    joined = db.instance_get_by_uuid(ctxt, inst['uuid'],
                                     columns_to_join=['metadata', 'extra', 'security_groups'])
    assert joined['metadata'] == {'k': 'v'}
    assert set(joined['extra']) == {'instance_uuid', *db.INSTANCE_EXTRA_COLUMNS}
    assert joined['security_groups'] == []


def test_name_filter_is_a_case_insensitive_regex_and_a_broken_one_is_literal(ctxt):
    web = _create(ctxt, display_name='Web-1')
    _create(ctxt, display_name='db-1')
    odd = _create(ctxt, display_name='a[b')
    assert _uuids(db.instance_get_all_by_filters_sort(ctxt, {'name': 'web'})) == [web['uuid']]
    assert _uuids(db.instance_get_all_by_filters_sort(ctxt, {'name': '^W.b'})) == [web['uuid']]
    assert _uuids(db.instance_get_all_by_filters_sort(ctxt, {'name': 'a[b'})) == [odd['uuid']]


def test_exact_and_list_filters(ctxt):
    one = _create(ctxt, host='h1', vm_state='active')
    two = _create(ctxt, host='h2', vm_state='stopped')
    none = _create(ctxt, host=None, vm_state='building')

    def found(filters):
        return set(_uuids(db.instance_get_all_by_filters_sort(ctxt, filters)))
    assert found({'host': 'h1'}) == {one['uuid']}
    assert found({'vm_state': ['active', 'stopped']}) == {one['uuid'], two['uuid']}
    assert found({'host': ['h2', None]}) == {two['uuid'], none['uuid']}
    assert found({'host': None}) == {none['uuid']}
    assert found({'vm_state': []}) == set()
    assert found({'ip': '10.0.0.1'}) == {one['uuid'], two['uuid'], none['uuid']}  # callers'


def test_tag_filters(ctxt):
    ab = _create(ctxt, tags=['a', 'b'])
    a = _create(ctxt, tags=['a'])
    c = _create(ctxt, tags=['c'])

    def found(filters):
        return set(_uuids(db.instance_get_all_by_filters_sort(ctxt, filters)))
    assert found({'tags': ['a', 'b']}) == {ab['uuid']}
    assert found({'tags-any': ['b', 'c']}) == {ab['uuid'], c['uuid']}
    assert found({'not-tags': ['a', 'b']}) == {a['uuid'], c['uuid']}
    assert found({'not-tags-any': ['a']}) == {c['uuid']}
    assert found({'tags': 'c'}) == {c['uuid']}


def test_deleted_and_soft_deleted_filters(ctxt):
    live = _create(ctxt, vm_state='active')
    soft = _create(ctxt, vm_state='soft-delete')
    gone = _create(ctxt, vm_state='deleted')
    db.instance_destroy(ctxt, gone['uuid'])

    def found(filters):
        return set(_uuids(db.instance_get_all_by_filters_sort(ctxt, filters)))
    assert found({'deleted': False}) == {live['uuid']}
    assert found({'deleted': False, 'soft_deleted': True}) == {live['uuid'], soft['uuid']}
    assert found({'deleted': True}) == {gone['uuid']}
    assert found({'deleted': True, 'soft_deleted': True}) == {gone['uuid'], soft['uuid']}
    assert found({}) == {live['uuid'], soft['uuid']}


def test_a_user_sees_only_their_project_unless_admin(ctxt):
    mine = _create(ctxt)
    _create(ctxt, project_id='other')
    user = ctxt.elevated()
    user.is_admin = False
    assert _uuids(db.instance_get_all_by_filters_sort(user, {})) == [mine['uuid']]
    assert len(db.instance_get_all_by_filters_sort(ctxt, {})) == 2
    assert len(db.instance_get_all_by_filters_sort(ctxt, {'project_id': None})) == 2


def test_sort_keys_are_checked_and_ties_broken_for_pagination(ctxt):
    with pytest.raises(exception.InvalidSortKey):
        db.instance_get_all_by_filters_sort(ctxt, {}, sort_keys=['password'])
    with pytest.raises(exception.InvalidInput):
        db.instance_get_all_by_filters_sort(ctxt, {}, sort_keys=['host'], sort_dirs=['up'])
    made = [_create(ctxt, display_name=name, host=host)
            for name, host in (('b', 'h1'), ('a', None), ('b', 'h2'), ('c', 'h1'))]
    asc = db.instance_get_all_by_filters_sort(ctxt, {}, sort_keys=['display_name', 'host'],
                                              sort_dirs=['asc', 'asc'])
    assert [(i['display_name'], i['host']) for i in asc] == [
        ('a', None), ('b', 'h1'), ('b', 'h2'), ('c', 'h1')]
    # NULLs sort first ascending and last descending.
    desc = db.instance_get_all_by_filters_sort(ctxt, {}, sort_keys=['host'], sort_dirs=['desc'])
    assert desc[-1]['host'] is None
    # Paging with a marker walks every row once, in order.
    seen, marker = [], None
    while True:
        page = db.instance_get_all_by_filters_sort(
            ctxt, {}, limit=1, marker=marker, sort_keys=['display_name', 'host'],
            sort_dirs=['asc', 'asc'])
        if not page:
            break
        seen += _uuids(page)
        marker = page[-1]['uuid']
    assert seen == _uuids(asc) and len(set(seen)) == len(made)
    assert db.instance_get_all_by_filters_sort(ctxt, {}, limit=0) == []
    with pytest.raises(exception.MarkerNotFound):
        db.instance_get_all_by_filters_sort(ctxt, {}, marker=uuidutils.generate_uuid())


def test_update_checks_the_expected_state_and_returns_before_and_after(ctxt):
    inst = _create(ctxt, vm_state='building', task_state='spawning', metadata={'a': '1'})
    before, after = db.instance_update_and_get_original(
        ctxt, inst['uuid'], {'vm_state': 'active', 'task_state': None,
                             'expected_task_state': ['spawning'], 'metadata': {'b': '2'}})
    assert (before['vm_state'], after['vm_state']) == ('building', 'active')
    assert before['metadata'] == {'a': '1'} and after['metadata'] == {'b': '2'}
    with pytest.raises(exception.UnexpectedTaskStateError):
        db.instance_update_and_get_original(ctxt, inst['uuid'], {
            'task_state': 'rebooting', 'expected_task_state': 'spawning'})
    with pytest.raises(exception.UnexpectedVMStateError):
        db.instance_update_and_get_original(ctxt, inst['uuid'], {
            'task_state': 'rebooting', 'expected_vm_state': ['stopped']})
    # None is an expected state of its own.
    db.instance_update_and_get_original(ctxt, inst['uuid'], {
        'task_state': 'deleting', 'expected_task_state': [None]})
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        db.instance_update_and_get_original(ctxt, inst['uuid'], {
            'task_state': 'rebooting', 'expected_task_state': [None]})
    assert db.instance_get_by_uuid(ctxt, inst['uuid'])['task_state'] == 'deleting'


def test_destroy_soft_deletes_the_children_and_drops_tags(ctxt):
    inst = _create(ctxt, metadata={'a': '1'}, tags=['t'], vm_state='active')
    with pytest.raises(exception.ConstraintNotMet):
        db.instance_destroy(ctxt, inst['uuid'], constraint={'vm_state': ['stopped']})
    original = db.instance_destroy(ctxt, inst['uuid'], constraint={'vm_state': ['active']})
    assert original['deleted'] == inst['id'] and original['metadata'] == {'a': '1'}
    with pytest.raises(exception.InstanceNotFound):
        db.instance_get_by_uuid(ctxt, inst['uuid'])
    assert db.instance_metadata_get(ctxt, inst['uuid']) == {}
    assert db.instance_info_cache_get(ctxt, inst['uuid']) is None
    # A late network info update leaves the deleted instance's cache alone.
    db.instance_info_cache_update(ctxt, inst['uuid'], {'network_info': '[{"id": "p"}]'})
    deleted = ctxt.elevated(read_deleted='yes')
    [row] = db.instance_get_all_by_filters_sort(deleted, {'deleted': True},
                                                columns_to_join=['tags', 'info_cache'])
    assert row['tags'] == [] and row['info_cache'] is None


def test_hard_delete_leaves_nothing(ctxt):
    inst = _create(ctxt)
    db.instance_destroy(ctxt, inst['uuid'], hard_delete=True)
    assert db.instance_get_all_by_filters_sort(ctxt, {'deleted': True}) == []


def test_info_cache_and_extra_updates_create_missing_rows(ctxt):
    inst = _create(ctxt)
    db.instance_info_cache_delete(ctxt, inst['uuid'])
    assert db.instance_info_cache_get(ctxt, inst['uuid']) is None
    db.instance_extra_update_by_uuid(ctxt, inst['uuid'], {'vcpu_model': '{"x": 1}'})
    assert db.instance_extra_get_by_instance_uuid(
        ctxt, inst['uuid'], columns=['vcpu_model'])['vcpu_model'] == '{"x": 1}'


def test_usage_window_keeps_what_a_deleted_instance_was_deleted_with(ctxt):
    day = datetime.datetime(2026, 3, 1)
    before = _create(ctxt, launched_at=day - datetime.timedelta(days=3),
                     terminated_at=day - datetime.timedelta(days=2))
    during = _create(ctxt, launched_at=day - datetime.timedelta(days=3),
                     terminated_at=day + datetime.timedelta(hours=2), metadata={'a': '1'},
                     system_metadata={'s': '1'})
    later = _create(ctxt, launched_at=day + datetime.timedelta(days=2))
    never = _create(ctxt)
    db.instance_update_and_get_original(ctxt, during['uuid'], {'metadata': {'a': '1', 'b': '2'}})
    db.instance_update_and_get_original(ctxt, during['uuid'], {'metadata': {'a': '1'}})
    db.instance_destroy(ctxt, during['uuid'])
    rows = db.instance_get_active_by_window_joined(
        ctxt, day, day + datetime.timedelta(days=1),
        columns_to_join=['metadata', 'system_metadata', 'info_cache'])
    assert _uuids(rows) == [during['uuid']]
    assert rows[0]['metadata'] == {'a': '1'}  # 'b' was removed before the delete
    assert rows[0]['system_metadata'] == {'s': '1'}
    assert rows[0]['info_cache'] is not None
    assert {before['uuid'], later['uuid'], never['uuid']}.isdisjoint(_uuids(rows))


def test_faults_newest_first_or_only_the_newest(ctxt):
    inst = _create(ctxt)
    other = uuidutils.generate_uuid()
    for code in (500, 404):
        db.instance_fault_create(ctxt, {'instance_uuid': inst['uuid'], 'code': code,
                                        'message': 'm%d' % code})
    with pytest.raises(exception.InstanceNotFound):
        db.instance_fault_create(ctxt, {'instance_uuid': other, 'code': 1, 'message': ''})
    faults = db.instance_fault_get_by_instance_uuids(ctxt, [inst['uuid'], other])
    assert [f['code'] for f in faults[inst['uuid']]] == [404, 500] and faults[other] == []
    latest = db.instance_fault_get_by_instance_uuids(ctxt, [inst['uuid']], latest=True)
    assert [f['code'] for f in latest[inst['uuid']]] == [404]
    assert db.instance_fault_get_by_instance_uuids(ctxt, []) == {}
