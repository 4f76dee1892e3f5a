"""The cell database's migration queries against a migrated SQLite file: lookups by
URL id (any string), which migrations still hold resources on a node, the
list filters and newest-first marker paging, resizes waiting for confirmation."""

import datetime

import pytest
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.db.main import migration_api as db
from nova import exception

INSTANCE = uuidutils.generate_uuid()


def _migration(ctxt, **values):
    fields = dict(instance_uuid=INSTANCE, source_compute='src', dest_compute='dst',
                  source_node='src-node', dest_node='dst-node', status='migrating',
                  migration_type='resize')
    fields.update(values)
    return db.migration_create(ctxt, fields)


@pytest.mark.parametrize('given', ['abc', '1.5', str(2 ** 63), '-'])
def test_an_id_from_a_url_that_is_no_number_is_not_found(ctxt, given):
    with pytest.raises(exception.MigrationNotFoundForInstance):
        db.migration_get_by_id_and_instance(ctxt, given, INSTANCE)


def test_lookups(ctxt):
    made = _migration(ctxt)
    assert uuidutils.is_uuid_like(made['uuid'])
    assert db.migration_get_by_id_and_instance(ctxt, str(made['id']), INSTANCE)['id'] == \
        made['id']
    with pytest.raises(exception.MigrationNotFoundForInstance):
        db.migration_get_by_id_and_instance(ctxt, made['id'], uuidutils.generate_uuid())
    assert db.migration_get_by_uuid(ctxt, made['uuid'])['id'] == made['id']
    with pytest.raises(exception.MigrationNotFound):
        db.migration_get(ctxt, made['id'] + 1)
    with pytest.raises(exception.MigrationNotFound):
        db.migration_update(ctxt, made['id'] + 1, {'status': 'done'})
    newer = _migration(ctxt)
    assert db.migration_get_by_instance_and_status(ctxt, INSTANCE, 'migrating')['id'] == \
        newer['id']
    with pytest.raises(exception.MigrationNotFoundByStatus):
        db.migration_get_by_instance_and_status(ctxt, INSTANCE, 'finished')


def test_in_progress_means_not_done_on_either_end(ctxt):
    at_source = _migration(ctxt)
    at_dest = _migration(ctxt, source_compute='other', source_node='other-node',
                         dest_compute='src', dest_node='src-node')
    for status in db.MIGRATION_DONE_STATUSES:
        _migration(ctxt, status=status)
    _migration(ctxt, source_node='another-node')
    found = db.migration_get_in_progress_by_host_and_node(ctxt, 'src', 'src-node')
    assert [m['id'] for m in found] == [at_source['id'], at_dest['id']]


def test_in_progress_of_an_instance_is_a_live_migration_status(ctxt):
    running = _migration(ctxt, status='running', migration_type='live-migration')
    _migration(ctxt, status='migrating')
    _migration(ctxt, status='queued', migration_type='evacuation',
               instance_uuid=uuidutils.generate_uuid())
    assert [m['id'] for m in db.migration_get_in_progress_by_instance(ctxt, INSTANCE)] == [
        running['id']]
    assert db.migration_get_in_progress_by_instance(ctxt, INSTANCE, 'resize') == []


def test_filters(ctxt):
    one = _migration(ctxt, status='finished')
    two = _migration(ctxt, source_compute='dst', dest_compute='src', status='error',
                     migration_type='live-migration')
    three = _migration(ctxt, source_compute='x', dest_compute='y', source_node='n',
                       dest_node='n')

    def ids(filters):
        return {m['id'] for m in db.migration_get_all_by_filters(ctxt, filters)}
    assert ids({'host': 'src'}) == {one['id'], two['id']}
    assert ids({'source_compute': 'src'}) == {one['id']}
    assert ids({'status': ['finished', 'error']}) == {one['id'], two['id']}
    assert ids({'status': 'error'}) == {two['id']}
    assert ids({'migration_type': 'live-migration'}) == {two['id']}
    assert ids({'node': 'n'}) == {three['id']}
    assert ids({'uuid': one['uuid']}) == {one['id']}
    assert ids({'hidden': None}) == {one['id'], two['id'], three['id']}


def test_newest_first_with_a_marker(ctxt):
    made = [_migration(ctxt) for _ in range(3)]
    listed = db.migration_get_all_by_filters(ctxt, {})
    assert [m['id'] for m in listed] == [m['id'] for m in reversed(made)]
    after = db.migration_get_all_by_filters(ctxt, {}, marker=listed[0]['uuid'], limit=1)
    assert [m['id'] for m in after] == [listed[1]['id']]
    with pytest.raises(exception.MarkerNotFound):
        db.migration_get_all_by_filters(ctxt, {}, marker=uuidutils.generate_uuid())
    asc = db.migration_get_all_by_filters(ctxt, {}, sort_keys=['id'], sort_dirs=['asc'])
    assert [m['id'] for m in asc] == [m['id'] for m in made]


def test_resizes_finished_before_the_window_await_confirmation(ctxt):
    old = _migration(ctxt, status='finished')
    _migration(ctxt, status='finished', dest_compute='elsewhere')
    fresh = _migration(ctxt, status='finished')
    long_ago = timeutils.utcnow() - datetime.timedelta(hours=2)
    db.migration_update(ctxt, old['id'], {'updated_at': long_ago})
    found = db.migration_get_unconfirmed_by_dest_compute(ctxt, 3600, 'dst')
    assert [m['id'] for m in found] == [old['id']]
    assert fresh['id'] not in [m['id'] for m in found]
