"""``/os-services``: list, filters, enable/disable (old style and 2.53), policy,
over a real cell database."""

from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api import seeded
from tests.unit.api.conftest import sample


@pytest.fixture
def compute(cell1):
    """A live nova-compute service, a scheduler, and one compute node in cell1."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        service = objects.Service(context=cctxt, host='host1', binary='nova-compute',
                                  topic='compute', last_seen_up=timeutils.utcnow())
        service.create()
        objects.Service(context=cctxt, host='ctl', binary='nova-scheduler',
                        topic='scheduler', last_seen_up=timeutils.utcnow()).create()
        node = seeded.host1_compute_node(cctxt, service)
    return service, node


def test_services_list_and_filters(admin, compute):
    body = admin.get('/os-services').json_body_or_none
    services = {s['binary']: s for s in body['services']}
    assert set(services) == {'nova-compute', 'nova-scheduler'}
    assert sorted(services['nova-compute']) == sorted(
        sample('os-services/services-list-get-resp.json')['services'][0])
    assert services['nova-compute']['state'] == 'up'
    assert services['nova-compute']['zone'] == 'nova'
    assert services['nova-scheduler']['zone'] == 'internal'
    only = admin.get('/os-services?binary=nova-compute').json_body_or_none['services']
    assert [s['host'] for s in only] == ['host1']


def test_services_disable_enable_old_style(admin, compute):
    res = admin.put('/os-services/disable-log-reason',
                    {'host': 'host1', 'binary': 'nova-compute', 'disabled_reason': 'maint'})
    assert res.json_body_or_none == {'service': {'host': 'host1', 'binary': 'nova-compute',
                                                 'status': 'disabled',
                                                 'disabled_reason': 'maint'}}
    listed = admin.get('/os-services?binary=nova-compute').json_body_or_none['services'][0]
    assert listed['status'] == 'disabled' and listed['disabled_reason'] == 'maint'
    res = admin.put('/os-services/enable', {'host': 'host1', 'binary': 'nova-compute'})
    assert res.json_body_or_none['service']['status'] == 'enabled'
    res = admin.put('/os-services/enable', {'host': 'nohost', 'binary': 'nova-compute'})
    assert res.status_int == 404


def test_services_v253(admin, compute, max_version):
    service, _node = compute
    res = admin.put('/os-services/%s' % service.uuid,
                    {'status': 'disabled', 'disabled_reason': 'x', 'forced_down': True},
                    version='2.53')
    assert res.status_int == 200, res.body
    body = res.json_body_or_none['service']
    assert body['id'] == service.uuid and body['state'] == 'down'
    assert body['forced_down'] is True
    listed = admin.get('/os-services', version='2.69').json_body_or_none['services']
    assert sorted(listed[0]) == sorted(
        sample('os-services/v2.53/services-list-get-resp.json')['services'][0])
    assert admin.put('/os-services/not-a-uuid', {'status': 'enabled'},
                     version='2.53').status_int == 400


def test_services_need_admin(user, compute):
    assert user.get('/os-services').status_int == 403
