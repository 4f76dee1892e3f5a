"""``/os-migrations``: shapes, filters and paging per microversion over a real cell database."""

import datetime
import uuid

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import sample

T0 = datetime.datetime(2026, 1, 1, 0, 0, 0)


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
