"""``/servers/{id}/migrations`` (in-progress live migrations) and ``/servers/{id}/topology``.

Live migration is not built here: the rows are seeded, and the server is put
in ``migrating`` by hand where force_complete/abort must get past the state
check.
"""

from oslo_utils import timeutils
import pytest

from nova.compute import task_states
from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api.test_sample_shapes_proxies import seed_live_migration

HOSTS = ('dest_compute', 'dest_host', 'dest_node', 'source_compute', 'source_node')


@pytest.fixture
def cloud(paste_app, cell1, max_version, seeded_ids):
    server = seeded_ids['servers']
    seeded_ids['running'] = seed_live_migration(cell1, server)
    seeded_ids['queued'] = seed_live_migration(cell1, server, status='queued')
    seeded_ids['done'] = seed_live_migration(cell1, server, status='completed')
    seeded_ids['resize'] = seed_live_migration(cell1, server, migration_type='resize')
    seeded_ids['elsewhere'] = seed_live_migration(cell1, seeded_ids['other_server'])

    def as_(persona, method, path, body=None, version='2.80'):
        token, headers = seeded.headers_for(persona)
        return Client(paste_app).request(method, path % seeded_ids, body, version=version,
                                         token=token, headers=headers)

    def set_server(**values):
        ctxt = nova_context.get_admin_context()
        with nova_context.target_cell(ctxt, cell1) as cctxt:
            instance = objects.Instance.get_by_uuid(cctxt, server)
            for key, value in values.items():
                setattr(instance, key, value)
            instance.save()

    def actions():
        ctxt = nova_context.get_admin_context()
        with nova_context.target_cell(ctxt, cell1) as cctxt:
            return [action.action for action in
                    objects.InstanceActionList.get_by_instance_uuid(cctxt, server)]
    set_server.actions = actions
    return as_, seeded_ids, set_server


MIGRATIONS = '/servers/%(servers)s/migrations'


def test_list_shows_in_progress_live_migrations_only(cloud):
    as_, ids, _ = cloud
    res = as_('admin', 'GET', MIGRATIONS)
    assert res.status_int == 200, res.body
    listed = res.json_body_or_none['migrations']
    assert sorted(m['id'] for m in listed) == sorted(int(ids[k]) for k in ('running', 'queued'))
    assert {m['server_uuid'] for m in listed} == {ids['servers']}
    assert listed[0]['source_compute'] == 'host1'


def test_fields_by_microversion(cloud):
    as_, ids, _ = cloud
    path = MIGRATIONS + '/%(running)s'
    for version, extra in (('2.23', set()), ('2.59', {'uuid'}),
                           ('2.80', {'uuid', 'user_id', 'project_id'})):
        body = as_('admin', 'GET', path, version=version).json_body_or_none['migration']
        assert extra <= set(body)
        assert not ({'uuid', 'user_id', 'project_id'} - extra) & set(body), version
    assert as_('admin', 'GET', MIGRATIONS, version='2.22').status_int == 404


def test_a_project_manager_lists_without_hosts_and_may_not_show(cloud):
    as_, ids, _ = cloud
    res = as_('manager', 'GET', MIGRATIONS)
    assert res.status_int == 200, res.body
    for migration in res.json_body_or_none['migrations']:
        assert all(migration[key] is None for key in HOSTS)
    assert as_('member', 'GET', MIGRATIONS).status_int == 403
    assert as_('manager', 'GET', MIGRATIONS + '/%(running)s').status_int == 403
    assert as_('other_member', 'GET', MIGRATIONS).status_int == 404


@pytest.mark.parametrize('which', ['done', 'resize', 'elsewhere', 'nope', '99999999999999999999'])
def test_show_is_404_unless_an_in_progress_live_migration_of_this_server(cloud, which):
    as_, ids, _ = cloud
    ids.setdefault(which, which)
    res = as_('admin', 'GET', MIGRATIONS + '/%%(%s)s' % which)
    assert res.status_int == 404, res.body


def _force(as_, key, persona='admin', version='2.80'):
    return as_(persona, 'POST', MIGRATIONS + '/%%(%s)s/action' % key,
               {'force_complete': None}, version=version)


def test_force_complete_needs_a_migrating_server(cloud):
    as_, ids, set_server = cloud
    res = _force(as_, 'running')
    assert res.status_int == 409, res.body
    set_server(task_state=task_states.MIGRATING, launched_at=timeutils.utcnow())
    for key in ('queued', 'elsewhere'):  # not running; not this server's
        assert _force(as_, key).status_int == 400, key
    ids['nope'] = 'nope'
    assert _force(as_, 'nope').status_int == 400
    assert _force(as_, 'running').status_int == 202
    assert set_server.actions() == ['live_migration_force_complete']
    assert _force(as_, 'running', version='2.21').status_int == 404
    assert as_('admin', 'POST', MIGRATIONS + '/%(running)s/action',
               {'force_complete': {}}).status_int == 400


def test_force_complete_on_a_locked_server_is_refused_to_its_manager(cloud):
    as_, ids, set_server = cloud
    set_server(task_state=task_states.MIGRATING, launched_at=timeutils.utcnow(), locked=True)
    assert _force(as_, 'running', persona='manager').status_int == 409
    assert _force(as_, 'running', persona='member').status_int == 403


def test_abort(cloud):
    as_, ids, set_server = cloud
    path = MIGRATIONS + '/%(running)s'
    assert as_('admin', 'DELETE', path).status_int == 409
    set_server(task_state=task_states.MIGRATING, launched_at=timeutils.utcnow())
    assert as_('admin', 'DELETE', MIGRATIONS + '/%(elsewhere)s').status_int == 404
    # a queued one may be aborted from 2.65 only
    assert as_('admin', 'DELETE', MIGRATIONS + '/%(queued)s', version='2.64').status_int == 400
    assert as_('admin', 'DELETE', MIGRATIONS + '/%(queued)s', version='2.65').status_int == 202
    assert as_('admin', 'DELETE', MIGRATIONS + '/%(done)s').status_int == 400
    assert as_('manager', 'DELETE', path).status_int == 202
    assert as_('admin', 'DELETE', path, version='2.23').status_int == 404
    assert set_server.actions().count('live_migration_cancel') == 2


def test_topology(cloud):
    as_, ids, _ = cloud
    path = '/servers/%(servers)s/topology'
    for persona in ('admin', 'reader'):
        res = as_(persona, 'GET', path, version='2.78')
        assert res.status_int == 200, res.body
        assert res.json_body_or_none == {'nodes': [], 'pagesize_kb': None}
    assert as_('admin', 'GET', path, version='2.77').status_int == 404
    assert as_('other_member', 'GET', path, version='2.78').status_int == 404
    assert as_('admin', 'GET', '/servers/nope/topology', version='2.78').status_int == 404
