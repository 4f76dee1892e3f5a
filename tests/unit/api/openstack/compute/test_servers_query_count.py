"""GET /servers/detail reads each relation once per page, not once per server or host.

The view shows each server's request-spec fields (2.96 pinned zone, 2.100
hints) and host status (2.16); both used to be one query per server or host.
"""

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from nova import context as nova_context
from nova import objects
from tests.unit.api import seeded
from tests.unit.api.conftest import Client


@pytest.fixture
def cloud(seeded_ids):
    return seeded_ids


class _Statements(object):
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _add_server(cell, host, zone):
    instance_uuid = seeded.server_in_cell(cell, seeded.OWNER_PROJECT, 'owner')
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        inst = objects.Instance.get_by_uuid(cctxt, instance_uuid)
        inst.host = host
        inst.save()
    flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
    image = objects.ImageMeta.from_dict({'id': seeded.IMAGE, 'properties': {}})
    objects.RequestSpec.from_components(
        ctxt, instance_uuid, image, flavor, availability_zone=zone,
        scheduler_hints={'zone': [zone]}).create()
    return instance_uuid


def _detail(paste_app):
    # An administrator of the owner's project: sees host status (2.16) too.
    client = Client(paste_app, 'admin:%s' % seeded.OWNER_PROJECT, version='2.100')
    headers = {'X-Roles': 'admin,member,reader'}
    counter = _Statements()
    event.listen(sa.engine.Engine, 'before_cursor_execute', counter)
    try:
        res = client.get('/servers/detail', headers=headers)
    finally:
        event.remove(sa.engine.Engine, 'before_cursor_execute', counter)
    assert res.status_int == 200, res.body
    return res.json_body_or_none['servers'], counter.count


def test_detail_statements_do_not_grow_with_servers_or_hosts(paste_app, cell1, cloud):
    first = _add_server(cell1, 'host1', 'az-first')
    _detail(paste_app)   # warm per-process caches
    servers, few = _detail(paste_app)
    assert len(servers) == 2
    for index in range(4):
        _add_server(cell1, 'host%d' % (index + 2), 'az%d' % index)
    servers, many = _detail(paste_app)
    assert len(servers) == 6
    assert many == few
    by_id = {s['id']: s for s in servers}
    assert by_id[first]['pinned_availability_zone'] == 'az-first'
    assert by_id[first]['scheduler_hints'] == {'zone': ['az-first']}
    assert by_id[cloud['servers']]['pinned_availability_zone'] is None
    assert by_id[cloud['servers']]['scheduler_hints'] == {}
    assert by_id[first]['host_status'] == 'UP'
    assert sorted(s['host_status'] for s in servers) == ['UNKNOWN'] * 4 + ['UP'] * 2
