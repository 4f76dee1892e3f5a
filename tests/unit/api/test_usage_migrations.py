"""os-simple-tenant-usage and os-migrations over a real cell database."""

import datetime
import uuid

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import sample

T0 = datetime.datetime(2026, 1, 1, 0, 0, 0)


@pytest.fixture
def usage_data(cell1):
    ctxt = nova_context.get_admin_context()
    flavor = objects.Flavor(context=ctxt, flavorid='1', name='m1.small', memory_mb=512,
                            vcpus=2, root_gb=1, ephemeral_gb=1, swap=0, is_public=True)
    flavor.create()
    made = []
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        for project, launched, terminated in (
                ('p1', T0, None),                                        # running
                ('p1', T0, T0 + datetime.timedelta(hours=1)),            # ended
                ('p2', T0 + datetime.timedelta(hours=1), None),
                ('p2', T0 + datetime.timedelta(days=5), None)):          # after window
            instance = objects.Instance(
                context=cctxt, uuid=str(uuid.uuid4()), project_id=project, user_id='u',
                display_name='srv', vm_state='active', flavor=flavor,
                instance_type_id=flavor.id, memory_mb=512, vcpus=2, root_gb=1,
                ephemeral_gb=1, launched_at=launched, terminated_at=terminated)
            instance.create()
            if terminated:
                instance.destroy()
            made.append(instance.uuid)
    return made


def _period(hours=2):
    return 'start=%s&end=%s' % (T0.isoformat(),
                                (T0 + datetime.timedelta(hours=hours)).isoformat())


def test_usage_totals_and_detail(admin, usage_data, max_version):
    body = admin.get('/os-simple-tenant-usage?' + _period()).json_body_or_none
    usages = {u['tenant_id']: u for u in body['tenant_usages']}
    assert sorted(usages['p1']) == sorted(
        sample('os-simple-tenant-usage/simple-tenant-usage-get.json')['tenant_usages'][0])
    assert usages['p1']['total_hours'] == pytest.approx(3.0)
    assert usages['p1']['total_vcpus_usage'] == pytest.approx(6.0)
    assert usages['p1']['total_local_gb_usage'] == pytest.approx(6.0)
    assert usages['p2']['total_hours'] == pytest.approx(1.0)
    assert usages['p2']['total_memory_mb_usage'] == pytest.approx(512.0)
    # only '1' asks for the detail, as upstream ('True' does not)
    assert 'server_usages' not in admin.get('/os-simple-tenant-usage?detailed=True&' +
                                            _period()).json_body_or_none['tenant_usages'][0]
    detail = admin.get('/os-simple-tenant-usage?detailed=1&' + _period()).json_body_or_none
    servers = {s['instance_id']: s for u in detail['tenant_usages']
               for s in u['server_usages']}
    assert set(servers) == set(usage_data[:3])
    assert servers[usage_data[1]]['state'] == 'terminated'
    assert servers[usage_data[1]]['uptime'] == 3600
    assert servers[usage_data[0]]['flavor'] == 'm1.small'
    one = admin.get('/os-simple-tenant-usage/p2?' + _period()).json_body_or_none
    assert one['tenant_usage']['tenant_id'] == 'p2'
    assert [s['instance_id'] for s in one['tenant_usage']['server_usages']] == [usage_data[2]]
    assert admin.get('/os-simple-tenant-usage/nobody?' + _period()).json_body_or_none == {
        'tenant_usage': {}}


def test_usage_paging_v240(admin, usage_data, max_version):
    first = admin.get('/os-simple-tenant-usage?limit=1&' + _period(),
                      version='2.40').json_body_or_none
    assert sum(len(u.get('server_usages', [])) or 1 for u in first['tenant_usages']) == 1
    link = first['tenant_usages_links'][0]
    assert link['rel'] == 'next' and 'marker=' in link['href']
    marker = link['href'].split('marker=')[1].split('&')[0]
    rest = admin.get('/os-simple-tenant-usage?detailed=1&marker=%s&' % marker + _period(),
                     version='2.40').json_body_or_none
    assert sum(len(u['server_usages']) for u in rest['tenant_usages']) == 2
    assert 'tenant_usages_links' not in rest


@pytest.mark.parametrize('query,version', [
    ('start=yesterday', '2.1'),
    ('end=2026-13-45T00:00:00', '2.1'),
    ('start=2026-02-01T00:00:00&end=2026-01-01T00:00:00', '2.1'),
    ('start=2026-01-01T00:00:00&end=2026-01-01T00:00:00', '2.1'),
    ('limit=-1', '2.40'),
    ('limit=abc', '2.40'),
    ('marker=nope', '2.40'),
])
def test_usage_bad_input_is_400(admin, cell1, max_version, query, version):
    res = admin.get('/os-simple-tenant-usage?' + query, version=version)
    assert res.status_int == 400, res.body


def test_usage_policy(user, usage_data):
    assert user.get('/os-simple-tenant-usage').status_int == 403
    assert user.get('/os-simple-tenant-usage/p1').status_int == 403
    assert user.get('/os-simple-tenant-usage/demoproject').status_int == 200


@pytest.fixture
def migrations(cell1):
    ctxt = nova_context.get_admin_context()
    made = []
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        for index, (mtype, status, project) in enumerate((
                ('migration', 'finished', 'p1'), ('live-migration', 'running', 'p1'),
                ('resize', 'confirmed', 'p2'))):
            migration = objects.Migration(
                context=cctxt, uuid=str(uuid.uuid4()), source_compute='c1',
                dest_compute='c2', source_node='n1', dest_node='n2', dest_host='1.2.3.4',
                instance_uuid=str(uuid.uuid4()), status=status, migration_type=mtype,
                old_instance_type_id=1, new_instance_type_id=2, user_id='u', project_id=project,
                hidden=False, created_at=T0 + datetime.timedelta(minutes=index))
            migration.create()
            made.append(migration)
    return made


def test_migrations_empty_and_shapes(admin, cell1, max_version):
    assert admin.get('/os-migrations').json_body_or_none == {'migrations': []}
    assert admin.get('/os-migrations', version='2.80').json_body_or_none == {'migrations': []}


def test_migrations_filters_and_versions(admin, migrations, max_version):
    listed = admin.get('/os-migrations').json_body_or_none['migrations']
    assert len(listed) == 3 and 'migration_type' not in listed[0]
    v223 = admin.get('/os-migrations', version='2.23').json_body_or_none['migrations']
    live = [m for m in v223 if m['migration_type'] == 'live-migration'][0]
    assert live['links'][0]['href'].endswith(
        '/servers/%s/migrations/%s' % (live['instance_uuid'], live['id']))
    assert sorted(live) == sorted(
        sample('os-migrations/v2.23/migrations-get.json')['migrations'][0])
    only = admin.get('/os-migrations?migration_type=resize',
                     version='2.23').json_body_or_none['migrations']
    assert [m['status'] for m in only] == ['confirmed']
    assert len(admin.get('/os-migrations?status=running').json_body_or_none[
        'migrations']) == 1
    page = admin.get('/os-migrations?limit=2', version='2.59').json_body_or_none
    assert [m['uuid'] for m in page['migrations']] == [migrations[2].uuid, migrations[1].uuid]
    assert 'marker=%s' % migrations[1].uuid in page['migrations_links'][0]['href']
    rest = admin.get('/os-migrations?marker=%s' % migrations[1].uuid,
                     version='2.59').json_body_or_none
    assert [m['uuid'] for m in rest['migrations']] == [migrations[0].uuid]
    by_project = admin.get('/os-migrations?project_id=p2', version='2.80').json_body_or_none
    assert [m['project_id'] for m in by_project['migrations']] == ['p2']
    assert by_project['migrations'][0]['user_id'] == 'u'


@pytest.mark.parametrize('query,version', [
    ('limit=-1', '2.59'),
    ('marker=unknown', '2.59'),
    ('changes-since=notadate', '2.59'),
    ('changes-before=notadate', '2.66'),
    ('changes-since=2026-02-01T00:00:00Z&changes-before=2026-01-01T00:00:00Z', '2.66'),
    ('migration_type=teleport', '2.23'),
    ('hidden=maybe', '2.1'),
    ('user_id=', '2.80'),
])
def test_migrations_bad_input_is_400(admin, cell1, max_version, query, version):
    res = admin.get('/os-migrations?' + query, version=version)
    assert res.status_int == 400, res.body


def test_migrations_policy(user, migrations):
    assert user.get('/os-migrations').status_int == 403
