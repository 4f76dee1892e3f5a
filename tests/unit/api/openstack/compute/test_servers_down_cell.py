"""Servers of a cell whose database cannot be reached (microversion 2.69).

The down cell is a cell mapping whose database cannot be opened (see
tests/unit/api/down_cell.py).
"""

import pytest

import nova.conf
from tests.unit.api.conftest import Client
from tests.unit.api.down_cell import down_cell_with_server
from tests.unit.api import seeded

CONF = nova.conf.CONF


@pytest.fixture
def cloud(paste_app, max_version, seeded_ids):
    yield Client(paste_app), seeded_ids
    CONF.clear_override('list_records_by_skipping_down_cells', group='api')


def _get(client, path, version, persona='member'):
    token, headers = seeded.headers_for(persona)
    return client.get(path, version=version, token=token, headers=headers)


def test_show_from_2_69_is_the_partial_record(cloud):
    client, ids = cloud
    _cell, server = down_cell_with_server()
    res = _get(client, '/servers/%s' % server, '2.69')
    assert res.status_int == 200, res.body
    body = res.json_body_or_none['server']
    assert sorted(body) == sorted([
        'id', 'status', 'tenant_id', 'user_id', 'created', 'links', 'flavor', 'image',
        'OS-EXT-AZ:availability_zone', 'OS-EXT-STS:power_state'])
    assert body['id'] == server
    assert body['status'] == 'UNKNOWN'
    assert body['tenant_id'] == seeded.OWNER_PROJECT
    assert body['user_id'] == 'owner'
    assert body['image']['id'] == seeded.IMAGE
    assert body['flavor']['original_name'] == 'm1.tiny'
    # Booted without a zone: unknown.
    assert body['OS-EXT-AZ:availability_zone'] == 'UNKNOWN'
    assert body['OS-EXT-STS:power_state'] == 0
    assert 'server_groups' not in body
    later = _get(client, '/servers/%s' % server, '2.71').json_body_or_none['server']
    assert later['server_groups'] == []


def test_show_below_2_69_is_a_server_error(cloud):
    client, ids = cloud
    _cell, server = down_cell_with_server()
    res = _get(client, '/servers/%s' % server, '2.68')
    assert res.status_int == 500, res.body
    # Other servers (in cells that answer) are not affected.
    assert _get(client, '/servers/%s' % ids['servers'], '2.68').status_int == 200


@pytest.mark.parametrize('kwargs', [dict(queued_for_delete=True), dict(with_spec=False)])
def test_show_of_a_deleted_server_in_a_down_cell_is_404(cloud, kwargs):
    client, ids = cloud
    _cell, server = down_cell_with_server(**kwargs)
    assert _get(client, '/servers/%s' % server, '2.69').status_int == 404


def test_other_projects_server_in_a_down_cell_stays_hidden(cloud):
    client, ids = cloud
    _cell, server = down_cell_with_server(project_id=seeded.OTHER_PROJECT, user_id='eve')
    assert _get(client, '/servers/%s' % server, '2.69').status_int == 404


def test_lists_from_2_69_carry_partial_records(cloud):
    client, ids = cloud
    _cell, server = down_cell_with_server()
    down_cell_with_server(project_id=seeded.OTHER_PROJECT, user_id='eve')
    down_cell_with_server(queued_for_delete=True)
    listed = _get(client, '/servers', '2.69').json_body_or_none['servers']
    assert {s['id'] for s in listed} == {ids['servers'], server}
    partial = [s for s in listed if s['id'] == server][0]
    assert sorted(partial) == ['id', 'links', 'status']
    assert partial['status'] == 'UNKNOWN'
    detail = _get(client, '/servers/detail', '2.69').json_body_or_none['servers']
    partial = [s for s in detail if s['id'] == server][0]
    assert sorted(partial) == ['created', 'id', 'links', 'status', 'tenant_id']
    full = [s for s in detail if s['id'] == ids['servers']][0]
    assert full['status'] == 'ACTIVE'
    # An administrator's all_tenants listing has every project's.
    everyone = _get(client, '/servers?all_tenants=1', '2.69', persona='admin')
    assert len([s for s in everyone.json_body_or_none['servers']
                if s.get('status') == 'UNKNOWN']) == 2


def test_lists_below_2_69_skip_the_down_cell(cloud):
    client, ids = cloud
    down_cell_with_server()
    for path in ('/servers', '/servers/detail'):
        listed = _get(client, path, '2.68').json_body_or_none['servers']
        assert [s['id'] for s in listed] == [ids['servers']]
    CONF.set_override('list_records_by_skipping_down_cells', False, group='api')
    assert _get(client, '/servers', '2.68').status_int == 500
    assert _get(client, '/servers', '2.69').status_int == 200


def test_filtered_lists_have_no_partial_records(cloud):
    client, ids = cloud
    down_cell_with_server()
    listed = _get(client, '/servers?name=seeded', '2.69').json_body_or_none['servers']
    assert [s['id'] for s in listed] == [ids['servers']]
