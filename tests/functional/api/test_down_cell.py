"""A cell whose database stops, in a running cloud: the other cell carries on.

cell1 is the in-process cloud's (SQLite, a fake nova-compute); cell2 is a
MariaDB database reached as a user of its own, holding one server and one
compute node (a big one, with its provider in Placement, so the scheduler
would rather pick it). The database "stops" for nova by that user being
locked and its connections killed (the shared MariaDB itself keeps running
for everyone else); then the API lists and shows cell2's server as a 2.69
partial record, a boot lands in cell1, and once the user is unlocked nothing
is missing.
"""

import uuid

import pytest
import sqlalchemy as sa

from tests.fixtures import cloud
from tests.fixtures import databases
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.scheduler.test_select_destinations import _add_compute

CELL2_UUID = '22222222-2222-4222-8222-222222222222'


class _CellDatabase(object):
    """A MariaDB database reached as its own user, which can be shut out and let in."""

    def __init__(self, root_url):
        self.root = sa.create_engine(root_url, isolation_level='AUTOCOMMIT',
                                     poolclass=sa.pool.NullPool)
        url = sa.engine.make_url(root_url)
        self.user = 'cl_cell_%s' % uuid.uuid4().hex[:8]
        password = uuid.uuid4().hex
        self._run("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'" % (self.user, password),
                  "GRANT ALL ON `%s`.* TO '%s'@'127.0.0.1'" % (url.database, self.user))
        self.url = url.set(username=self.user, password=password).render_as_string(
            hide_password=False)

    def _run(self, *statements):
        with self.root.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))

    def stop(self):
        """New connections refused, the open ones cut (as a stopped server would)."""
        self._run("ALTER USER '%s'@'127.0.0.1' ACCOUNT LOCK" % self.user)
        with self.root.connect() as conn:
            ids = conn.execute(sa.text(
                'SELECT id FROM information_schema.processlist WHERE user = :user'),
                {'user': self.user}).scalars().all()
            for connection_id in ids:
                try:
                    conn.execute(sa.text('KILL CONNECTION %d' % connection_id))
                except sa.exc.DBAPIError:
                    pass  # gone meanwhile

    def start(self):
        self._run("ALTER USER '%s'@'127.0.0.1' ACCOUNT UNLOCK" % self.user)

    def drop(self):
        self._run("DROP USER IF EXISTS '%s'@'127.0.0.1'" % self.user)
        self.root.dispose()


@pytest.fixture
def two_cell_cloud(tmp_path, glance_url):  # noqa: F811
    databases.skip_unless_available('mysql')
    with databases.temporary_database('mysql') as root_url, \
            cloud.running_cloud(tmp_path, glance_url=glance_url,
                                hosts=['live-compute']) as env:
        from nova import context as nova_context
        from nova.db import migration
        from nova import objects
        from nova.scheduler.client import report
        from tests.unit.compute import booting
        # A cell that does not answer is down at once, not after retries.
        env['conf'].set_override('max_retries', 0, group='database')
        cell_db = _CellDatabase(root_url)
        try:
            ctxt = env['ctxt']
            cell2 = objects.CellMapping(ctxt, uuid=CELL2_UUID, name='cell2',
                                        transport_url=env['conf'].transport_url,
                                        database_connection=cell_db.url)
            cell2.create()
            with nova_context.target_cell(ctxt, cell2) as cctxt:
                migration.db_sync(database='main', context=cctxt)
                # Bigger than the live compute: the weighers would pick it first.
                env['conf'].set_override('service_down_time', 3600)
                _add_compute(cctxt, report.SchedulerReportClient(), 'dark-compute',
                             64, 262144, 2000)
            objects.HostMapping(ctxt, host='dark-compute', cell_mapping=cell2).create()
            flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
            request, _spec = booting.build_request(ctxt, flavor, name='in-cell2')
            booting.write_to_cell(ctxt, cell2, request, host='dark-compute')
            request.destroy()
            for svc in env['services']:
                if svc.binary == 'nova-scheduler':
                    svc.manager.reset()  # see cell2 (as after SIGHUP)
            env.update(cell_db=cell_db, cell2=cell2, dark=request.instance_uuid)
            yield env
        finally:
            cell_db.start()
            nova_context.reset_cell_cache()
            cell_db.drop()


def _servers(client, version, query=''):
    resp = client.get('/servers/detail?all_tenants=1' + query, version=version)
    assert resp.status_int == 200, resp.body
    return {s['id']: s for s in resp.json_body_or_none['servers']}


def test_a_stopped_cell_database_leaves_the_other_cell_working(two_cell_cloud):
    env = two_cell_cloud
    admin, dark = env['admin'], env['dark']
    assert _servers(admin, '2.69')[dark]['name'] == 'in-cell2'

    env['cell_db'].stop()
    listed = _servers(admin, '2.69')
    assert listed[dark]['status'] == 'UNKNOWN' and 'name' not in listed[dark]
    assert dark not in _servers(admin, '2.68')
    shown = admin.get('/servers/%s' % dark, version='2.69')
    assert shown.status_int == 200, shown.body
    assert shown.json_body_or_none['server']['status'] == 'UNKNOWN'
    assert shown.json_body_or_none['server']['flavor']['vcpus'] == 1

    # The scheduler leaves the dark cell's (bigger) host out; the boot lands in cell1.
    resp = env['client'].post('/servers', {'server': {
        'name': 'while-dark', 'imageRef': env['image'], 'flavorRef': '1'}})
    assert resp.status_int == 202, resp.body
    booted = resp.json_body_or_none['server']['id']

    def active():
        server = admin.get('/servers/%s' % booted, version='2.69').json_body_or_none['server']
        assert server['status'] != 'ERROR', server.get('fault')
        return server['status'] == 'ACTIVE' and server

    server = wait_for(active, timeout=120, what='the boot in the live cell')
    assert server['OS-EXT-SRV-ATTR:host'] == 'live-compute'

    env['cell_db'].start()

    def whole():
        listed = _servers(admin, '2.69')
        return all(s['status'] != 'UNKNOWN' for s in listed.values()) and listed

    listed = wait_for(whole, timeout=30, what='cell2 answering again')
    assert set(listed) == {dark, booted}
    assert listed[dark]['name'] == 'in-cell2'
    assert listed[booted]['status'] == 'ACTIVE'
