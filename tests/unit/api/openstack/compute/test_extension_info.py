"""``/extensions``: the extension catalogue old clients read."""

from tests.unit.api.legacy_cloud import _as
from tests.unit.api.legacy_cloud import _fault
from tests.unit.api.legacy_cloud import cloud  # noqa: F401


def test_extensions_for_every_user(cloud):  # noqa: F811
    client, _ids = cloud
    listed = _as(client, 'reader', 'GET', '/extensions').json_body_or_none['extensions']
    assert len(listed) == 99 and 'OS-EXT-VIF-NET' not in {e['alias'] for e in listed}
    one = _as(client, 'other_member', 'GET', '/extensions/os-hosts', version='latest')
    assert one.json_body_or_none['extension']['name'] == 'Hosts'
    _fault(_as(client, 'admin', 'GET', '/extensions/OS-EXT-VIF-NET'), 404)
    assert client.get('/v2/extensions/OS-EXT-VIF-NET').status_int == 200
    _fault(_as(client, 'admin', 'GET', '/extensions/no-such'), 404)
