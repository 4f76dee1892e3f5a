"""``/servers/{id}/os-server-password``: show, clear, the system metadata chunks."""

import uuid

from tests.unit.api.conftest import sample
from tests.unit.api.openstack.compute.test_servers import _error
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401
from tests.unit.api.stored_servers import stored_server


def test_server_password(user, cell1, cloud):  # noqa: F811
    from nova.api.openstack.compute import server_password
    secret = sample('os-server-password/get-password-resp.json')['password']
    instance = stored_server(cell1, system_metadata=server_password.convert_password(secret))
    base = '/servers/%s/os-server-password' % instance.uuid
    assert user.get(base).json_body_or_none == {'password': secret}
    res = user.delete(base)
    assert res.status_int == 204
    assert user.get(base).json_body_or_none == {'password': ''}
    _error(user.get('/servers/%s/os-server-password' % uuid.uuid4()), 404)


def test_password_chunks():
    from nova.api.openstack.compute import server_password
    chunks = server_password.convert_password('x' * 600)
    assert sorted(chunks) == ['password_0', 'password_1', 'password_2', 'password_3']
    assert [len(chunks['password_%d' % i]) for i in range(4)] == [255, 255, 90, 0]
    assert server_password.extract_password(chunks) == 'x' * 600
    assert server_password.extract_password(server_password.convert_password(None)) is None
