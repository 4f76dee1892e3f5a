"""Listing servers across two cells through the API: markers, statement counts, a down cell.

cell1 is an SQLite file, cell2 a MariaDB database; servers are written
straight into the cells (as conductor writes them) with creation times that
interleave and tie across the two, then listed through the paste app.
cell2 "goes down" by its mapping pointing at the same server with a user that
cannot log in (the shared MariaDB itself is never touched); nothing is lost
when it comes back.
"""

import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.fixtures import cloud
from tests.fixtures import databases

PROJECT = 'demo-project'
BASE = datetime.datetime(2026, 1, 1, 12, 0, 0)


def _seed(ctxt, cells, first, count):
    from nova import context as nova_context
    from nova import objects
    flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
    uuids = []
    for index in range(first, first + count):
        cell = cells[index % len(cells)]
        with nova_context.target_cell(ctxt, cell) as cctxt:
            when = BASE + datetime.timedelta(seconds=index // 2)  # pairs tie across cells
            inst = objects.Instance(
                cctxt, project_id=PROJECT, user_id='demo', vm_state='active',
                power_state=1, display_name='srv-%02d' % (index % 7),
                host=None if index % 3 == 0 else 'host-%d' % (index % 4),
                image_ref='70a599e0-31e7-49b7-b260-868f441e862b',
                created_at=when, updated_at=when, launched_at=when,
                metadata={'index': str(index)},
                tags=objects.TagList(objects=[objects.Tag(tag='t%d' % (index % 2))]),
                info_cache=objects.InstanceInfoCache(network_info=[]))
            inst.flavor, inst.old_flavor, inst.new_flavor = flavor, None, None
            inst.create()
        objects.InstanceMapping(ctxt, instance_uuid=inst.uuid, cell_mapping=cell,
                                project_id=PROJECT, user_id='demo',
                                queued_for_delete=False).create()
        uuids.append(inst.uuid)
    return uuids


@pytest.fixture(scope='module')
def two_cells(tmp_path_factory):
    """One set-up for the module (migrating three databases is the slow part);
    a test that adds servers adds them to ``uuids``, one that breaks cell2
    mends it."""
    databases.skip_unless_available('mysql')
    tmp_path = tmp_path_factory.mktemp('two-cells')
    with cloud.nova_in_process(tmp_path, transport_url='fake:/',
                               placement_url='http://127.0.0.1:9') as (conf, ctxt, cell1), \
            databases.temporary_database('mysql') as cell2_url:
        from nova import context as nova_context
        from nova.db import migration
        from nova.db.main import engine as main_engine
        from nova import objects
        from nova.wsgi import osapi_compute
        from tests.unit.api.conftest import Client
        conf.set_override('auth_strategy', 'noauth2', group='api')
        # A cell whose database refuses us is down at once, not after retries.
        conf.set_override('max_retries', 0, group='database')
        cloud._create_flavors(ctxt, [cloud.TINY])
        cell2 = objects.CellMapping(ctxt, uuid='22222222-2222-4222-8222-222222222222',
                                    name='cell2', transport_url='fake:/',
                                    database_connection=cell2_url)
        cell2.create()
        with nova_context.target_cell(ctxt, cell2) as cctxt:
            migration.db_sync(database='main', context=cctxt)
        uuids = _seed(ctxt, [cell1, cell2], 0, 24)
        app = osapi_compute.init_application(configure=False)
        try:
            yield {'ctxt': ctxt, 'cells': [cell1, cell2], 'uuids': uuids,
                   'cell2_url': cell2_url, 'admin': Client(app, token='admin:' + PROJECT)}
        finally:
            nova_context.reset_cell_cache()
            main_engine.reset_cell_context_managers()


def _get(client, path, version='2.100'):
    resp = client.get(path, version=version)
    assert resp.status_int == 200, resp.body
    return resp.json_body_or_none['servers']


def _paged(client, route, query, limit):
    seen, marker = [], None
    while True:
        path = '%s?limit=%d%s' % (route, limit, query)
        if marker:
            path += '&marker=' + marker
        page = [s['id'] for s in _get(client, path)]
        seen.extend(page)
        if len(page) < limit:
            return seen
        marker = page[-1]


@pytest.mark.parametrize('query', [
    '',
    '&sort_key=created_at&sort_dir=asc',
    '&sort_key=display_name&sort_dir=asc&sort_key=created_at&sort_dir=desc',
    '&sort_key=host&sort_dir=desc',
    '&sort_key=uuid&sort_dir=asc',
    '&changes-since=2026-01-01T12:00:02Z&sort_key=updated_at&sort_dir=asc',
    '&changes-before=2026-01-01T12:00:07Z',
    '&all_tenants=1',  # openstack server list --all-projects --limit N --marker M
])
def test_pages_with_markers_cross_cells_without_gap_or_repeat(two_cells, query):
    admin = two_cells['admin']
    for route in ('/servers/detail', '/servers'):
        whole = [s['id'] for s in _get(admin, route + '?' + query.lstrip('&'))]
        assert len(whole) == len(set(whole)) and set(whole) <= set(two_cells['uuids'])
        if 'changes' not in query:
            assert sorted(whole) == sorted(two_cells['uuids'])
        for limit in (4, 7):
            assert _paged(admin, route, query, limit) == whole, (route, limit)


def test_a_page_starts_in_one_cell_and_ends_in_the_other(two_cells):
    from nova import objects
    page = _get(two_cells['admin'], '/servers/detail?limit=4')
    cells = [objects.InstanceMapping.get_by_instance_uuid(
        two_cells['ctxt'], s['id']).cell_mapping.uuid for s in page]
    assert len(set(cells)) == 2
    created = [s['created'] for s in page]
    assert created == sorted(created, reverse=True)


class _Statements(object):
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _statements(client, path):
    counter = _Statements()
    event.listen(sa.engine.Engine, 'before_cursor_execute', counter)
    try:
        _get(client, path)
    finally:
        event.remove(sa.engine.Engine, 'before_cursor_execute', counter)
    return counter.count


def test_detail_page_statements_do_not_grow_with_the_fleet(two_cells):
    admin = two_cells['admin']
    path = '/servers/detail?limit=10'
    _statements(admin, path)  # warm the cell and policy caches
    before = _statements(admin, path)
    marker_before = _statements(admin, path + '&marker=' + two_cells['uuids'][5])
    two_cells['uuids'] += _seed(two_cells['ctxt'], two_cells['cells'],
                                len(two_cells['uuids']), 60)
    assert _statements(admin, path) == before
    assert _statements(admin, path + '&marker=' + two_cells['uuids'][5]) == marker_before


def _point_cell2_at(two_cells, url):
    from nova import context as nova_context
    from nova.db.main import engine as main_engine
    cell2 = two_cells['cells'][1]
    cell2.database_connection = url
    cell2.save()
    nova_context.reset_cell_cache()
    main_engine.reset_cell_context_managers()


def test_a_down_cell_lists_partial_records_and_nothing_is_lost(two_cells):
    admin = two_cells['admin']
    uuids = two_cells['uuids']
    in_cell1, in_cell2 = set(uuids[0::2]), set(uuids[1::2])
    good_url = two_cells['cell2_url']
    bad_url = sa.engine.make_url(good_url).set(username='cl_no_such_user',
                                               password='wrong')
    _point_cell2_at(two_cells, bad_url.render_as_string(hide_password=False))
    try:
        listed = _get(admin, '/servers/detail', version='2.69')
        by_id = {s['id']: s for s in listed}
        assert set(by_id) == in_cell1 | in_cell2
        for server_id in in_cell2:
            assert by_id[server_id]['status'] == 'UNKNOWN'
            assert 'name' not in by_id[server_id]
        for server_id in in_cell1:
            assert by_id[server_id]['status'] == 'ACTIVE'
        # Before 2.69 the down cell's servers are left out.
        assert {s['id'] for s in _get(admin, '/servers/detail', version='2.68')} == in_cell1
        one = sorted(in_cell1)[0]
        resp = admin.get('/servers/%s' % one, version='2.69')
        assert resp.status_int == 200 and resp.json_body_or_none['server']['status'] == \
            'ACTIVE'
    finally:
        _point_cell2_at(two_cells, good_url)
    listed = _get(admin, '/servers/detail', version='2.69')
    assert {s['id'] for s in listed} == set(uuids)
    assert {s['status'] for s in listed} == {'ACTIVE'}


def test_host_status_is_read_from_the_cell_of_each_server(two_cells):
    # A page holds servers of both cells; each host's service record is in its
    # servers' cell (cell1 has host-0 and host-2, cell2 host-1 and host-3).
    from nova import context as nova_context
    from nova import objects
    ctxt, cells = two_cells['ctxt'], two_cells['cells']
    for cell, hosts in zip(cells, (('host-0', 'host-2'), ('host-1', 'host-3'))):
        with nova_context.target_cell(ctxt, cell) as cctxt:
            for host in hosts:
                objects.Service(cctxt, host=host, binary='nova-compute',
                                topic='compute').create()
    servers = _get(two_cells['admin'], '/servers/detail', version='2.16')
    hosted = [s for s in servers if s['OS-EXT-SRV-ATTR:host']]
    assert {s['OS-EXT-SRV-ATTR:host'] for s in hosted} == {'host-0', 'host-1', 'host-2', 'host-3'}
    assert {s['host_status'] for s in hosted} == {'UP'}
    assert {s['host_status'] for s in servers if not s['OS-EXT-SRV-ATTR:host']} == {''}
