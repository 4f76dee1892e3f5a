"""POST /servers ``networks`` with Neutron configured: upstream's 400/403/409s
for what Neutron says about the requested networks and ports, 503 when it
does not answer, and the security groups carried to the compute host in
the request spec. Neutron is the in-memory one of the network tests (no
daemon runs in the unit tier)."""

import uuid

import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from tests.unit.api.openstack.compute import test_servers
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401
from tests.unit.network import fake_neutron

_body = test_servers._body
_error = test_servers._error


@pytest.fixture
def neutron(monkeypatch):
    n = fake_neutron.install(monkeypatch)
    return n


PROJECT = 'demoproject'


def _net(neutron, user, **kw):
    return neutron.add_network(kw.pop('name', 'private'), project_id=PROJECT, **kw)


def test_requested_network_must_exist_and_have_a_subnet(user, cloud, neutron):  # noqa: F811
    missing = str(uuid.uuid4())
    msg = _error(user.post('/servers', _body(networks=[{'uuid': missing}])), 400)
    assert msg == 'Network %s could not be found.' % missing
    bare = _net(neutron, user)
    msg = _error(user.post('/servers', _body(networks=[{'uuid': bare['id']}])), 400)
    assert msg == ('Network %s requires a subnet in order to boot instances on.'
                   % bare['id'])
    net = _net(neutron, user, name='good', cidr='10.0.0.0/24')
    assert user.post('/servers', _body(networks=[{'uuid': net['id']}])).status_int == 202


def test_ports_in_use_or_missing(user, cloud, neutron):  # noqa: F811
    net = _net(neutron, user, cidr='10.0.0.0/24')
    missing = str(uuid.uuid4())
    msg = _error(user.post('/servers', _body(networks=[{'port': missing}])), 400)
    assert msg == 'Port id %s could not be found.' % missing
    port = neutron.client().create_port({'network_id': net['id'], 'device_id': 'other'})
    msg = _error(user.post('/servers', _body(networks=[{'port': port['id']}])), 409)
    assert msg == 'Port %s is still in use.' % port['id']
    free = neutron.client().create_port({'network_id': net['id']})
    _error(user.post('/servers', _body(networks=[{'port': free['id']}], max_count=2)), 400)


def test_auto_and_ambiguous_networks(user, cloud, neutron):  # noqa: F811
    neutron.extensions = []
    msg = _error(user.post('/servers', _body(networks='auto'), version='2.37'), 400)
    assert msg.startswith('Unable to automatically allocate a network for project')
    assert user.post('/servers', _body(networks='none'), version='2.37').status_int == 202
    _net(neutron, user, name='a', cidr='10.0.0.0/24')
    assert user.post('/servers', _body(networks='auto'), version='2.37').status_int == 202
    _net(neutron, user, name='b', cidr='10.1.0.0/24')
    _error(user.post('/servers', _body(networks='auto'), version='2.37'), 409)


def test_port_quota_and_unknown_security_group(user, cloud, neutron):  # noqa: F811
    net = _net(neutron, user, cidr='10.0.0.0/24')
    neutron.add_security_group('default', project_id=PROJECT)
    msg = _error(user.post('/servers', _body(networks=[{'uuid': net['id']}],
                                             security_groups=[{'name': 'nope'}])), 400)
    assert msg == 'Security group nope not found.'
    neutron.quota = {'port': 0}
    msg = _error(user.post('/servers', _body(networks=[{'uuid': net['id']}])), 403)
    assert msg == 'Maximum number of ports exceeded'


def test_security_groups_reach_the_request_spec(user, cloud, neutron):  # noqa: F811
    net = _net(neutron, user, cidr='10.0.0.0/24')
    neutron.add_security_group('web', project_id=PROJECT)
    res = user.post('/servers', _body(networks=[{'uuid': net['id']}],
                                      security_groups=[{'name': 'web'}]))
    assert res.status_int == 202, res.body
    spec = objects.RequestSpec.get_by_instance_uuid(
        nova_context.get_admin_context(), res.json_body_or_none['server']['id'])
    assert [g.name for g in spec.security_groups.objects] == ['web']


def test_neutron_down_is_503_not_500(user, cloud, neutron):  # noqa: F811
    neutron.fail['list_networks'] = exception.NeutronConnectionFailed(reason='refused')
    net_id = str(uuid.uuid4())
    res = user.post('/servers', _body(networks=[{'uuid': net_id}]))
    msg = _error(res, 503)
    assert 'refused' not in msg
