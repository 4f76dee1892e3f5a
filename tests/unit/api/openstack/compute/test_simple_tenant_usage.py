"""``/os-simple-tenant-usage``: totals, per-server detail and paging over a real cell database."""

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
