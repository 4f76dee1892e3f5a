"""``/servers/{id}/ips[/{network}]``: addresses from the info cache."""

import uuid

from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401
from tests.unit.api.stored_servers import server  # noqa: F401


def test_ips_from_info_cache(user, server):  # noqa: F811
    res = user.get('/servers/%s/ips' % server.uuid)
    assert res.status_int == 200
    assert res.json_body_or_none == {'addresses': {'private': [
        {'version': 4, 'addr': '192.168.1.30'}, {'version': 4, 'addr': '172.24.4.3'}]}}
    assert set(res.json_body_or_none) == set(sample('server-ips/server-ips-resp.json'))
    res = user.get('/servers/%s/ips/private' % server.uuid)
    assert res.json_body_or_none['private'][0] == sample(
        'server-ips/server-ips-network-resp.json')['private'][0]
    assert _error(user.get('/servers/%s/ips/public' % server.uuid), 404) == \
        'Instance is not a member of specified network'
    _error(user.get('/servers/%s/ips' % uuid.uuid4()), 404)
