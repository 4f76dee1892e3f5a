"""GET /servers/{id}/os-volume_attachments[/{volume_id}] through the paste app:
read from the server's block device mappings, no Cinder needed."""

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import sample

VOLUME = 'a07f71dc-8151-4e7d-a0cc-cd24a3f11113'
ATTACHMENT = 'c5684109-0311-4fca-9814-350e46ab7d2a'


@pytest.fixture
def attached(active_server, cell1):
    """active_server with its image root disk and one attached volume."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.BlockDeviceMapping(
            cctxt, instance_uuid=active_server.uuid, source_type='image',
            destination_type='local', boot_index=0, device_name='/dev/vda',
            image_id='155d900f-4e14-4e4c-a73d-069cbf4541e6', uuid=
            '0c7b2f3d-7cf0-4a5c-8d8e-000000000001').create()
        objects.BlockDeviceMapping(
            cctxt, instance_uuid=active_server.uuid, source_type='volume',
            destination_type='volume', device_name='/dev/sdb', volume_id=VOLUME,
            attachment_id=ATTACHMENT, tag='foo', delete_on_termination=True,
            uuid='0c7b2f3d-7cf0-4a5c-8d8e-000000000002').create()
    return active_server


def test_a_server_without_volumes_lists_none(user, active_server):
    res = user.get('/servers/%s/os-volume_attachments' % active_server.uuid)
    assert res.status_int == 200
    assert res.json_body_or_none == {'volumeAttachments': []}


@pytest.mark.parametrize('version,folder', [
    ('2.1', ''), ('2.70', 'v2.70/'), ('2.79', 'v2.79/'), ('2.89', 'v2.89/')])
def test_attachments_as_each_microversion_shows_them(user, attached, max_version,
                                                     version, folder):
    res = user.get('/servers/%s/os-volume_attachments' % attached.uuid, version=version)
    assert res.status_int == 200
    listed = res.json_body_or_none['volumeAttachments']
    expected = sample('os-volume_attachments/%slist-volume-attachments-resp.json' % folder)
    assert len(listed) == 1  # the image root disk is no volume attachment
    assert sorted(listed[0]) == sorted(expected['volumeAttachments'][0])
    assert listed[0]['volumeId'] == VOLUME and listed[0]['serverId'] == attached.uuid
    assert listed[0]['device'] == '/dev/sdb'
    res = user.get('/servers/%s/os-volume_attachments/%s' % (attached.uuid, VOLUME),
                   version=version)
    assert res.status_int == 200
    shown = res.json_body_or_none['volumeAttachment']
    expected = sample('os-volume_attachments/%svolume-attachment-detail-resp.json' % folder)
    assert sorted(shown) == sorted(expected['volumeAttachment'])
    assert shown == listed[0]
    if version == '2.89':
        assert shown['attachment_id'] == ATTACHMENT
        assert shown['bdm_uuid'] == '0c7b2f3d-7cf0-4a5c-8d8e-000000000002'
    if version >= '2.79':
        assert shown['tag'] == 'foo' and shown['delete_on_termination'] is True


def test_paging_with_limit_and_offset(user, attached):
    path = '/servers/%s/os-volume_attachments' % attached.uuid
    # the image disk is the first mapping: offset 1 leaves the volume
    assert len(user.get(path + '?offset=1').json_body_or_none['volumeAttachments']) == 1
    assert user.get(path + '?offset=2').json_body_or_none['volumeAttachments'] == []
    assert user.get(path + '?limit=1&offset=1').status_int == 200
    for bad in ('?limit=-1', '?offset=x'):
        res = user.get(path + bad)
        assert res.status_int == 400 and 'badRequest' in res.json_body_or_none


def test_not_attached_and_unknown_server_are_404(user, active_server):
    res = user.get('/servers/%s/os-volume_attachments/%s' % (active_server.uuid, VOLUME))
    assert res.status_int == 404 and 'itemNotFound' in res.json_body_or_none
    missing = '9b9e0b39-5d64-4b8f-9b4c-3a1f0c2c0f00'
    assert user.get('/servers/%s/os-volume_attachments' % missing).status_int == 404
    assert user.get('/servers/%s/os-volume_attachments/%s' % (missing, VOLUME)
                    ).status_int == 404


def test_another_project_sees_no_server(paste_app, active_server):
    from tests.unit.api.conftest import Client
    other = Client(paste_app, 'eve:otherproject')
    res = other.get('/servers/%s/os-volume_attachments' % active_server.uuid)
    assert res.status_int == 404
