"""``/os-hypervisors``: list, detail, show, search, statistics per microversion
over a real cell database."""

from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_services import compute  # noqa: F401


def test_hypervisors(admin, compute, max_version):  # noqa: F811
    _service, node = compute
    listed = admin.get('/os-hypervisors').json_body_or_none['hypervisors']
    assert listed == [{'id': node.id, 'hypervisor_hostname': 'host1.example',
                       'state': 'up', 'status': 'enabled'}]
    detail = admin.get('/os-hypervisors/detail').json_body_or_none['hypervisors'][0]
    assert sorted(detail) == sorted(
        sample('os-hypervisors/hypervisors-detail-resp.json')['hypervisors'][0])
    assert isinstance(detail['cpu_info'], str)
    shown = admin.get('/os-hypervisors/%s' % node.id, version='2.28').json_body_or_none
    assert shown['hypervisor']['cpu_info'] == {'arch': 'x86_64'}
    v253 = admin.get('/os-hypervisors/%s' % node.uuid, version='2.53').json_body_or_none
    assert v253['hypervisor']['id'] == node.uuid
    v288 = admin.get('/os-hypervisors/%s' % node.uuid, version='2.88').json_body_or_none
    assert sorted(v288['hypervisor']) == sorted(
        sample('os-hypervisors/v2.88/hypervisors-show-resp.json')['hypervisor'])
    stats = admin.get('/os-hypervisors/statistics').json_body_or_none['hypervisor_statistics']
    assert stats['count'] == 1 and stats['vcpus'] == 4
    assert admin.get('/os-hypervisors/statistics', version='2.88').status_int == 404
    assert admin.get('/os-hypervisors/host1/search').json_body_or_none['hypervisors'][0][
        'hypervisor_hostname'] == 'host1.example'
    assert admin.get('/os-hypervisors/999').status_int == 404
    assert admin.get('/os-hypervisors/abc', version='2.53').status_int == 400
    # no servers on it: the key is left out before 2.75, an empty list from 2.75
    assert 'servers' not in admin.get('/os-hypervisors?with_servers=true',
                                      version='2.74').json_body_or_none['hypervisors'][0]
    assert admin.get('/os-hypervisors?with_servers=true',
                     version='2.75').json_body_or_none['hypervisors'][0]['servers'] == []
