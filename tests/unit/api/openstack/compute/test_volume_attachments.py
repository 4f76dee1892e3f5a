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


# --- attach, detach, update (Cinder is the unit tier's in-memory fake) -------------

@pytest.fixture
def cinder(monkeypatch):
    from nova.volume import cinder as cinder_client
    from tests.unit.volume.fake_cinder import FakeCinder
    fake = FakeCinder()
    monkeypatch.setattr(cinder_client, 'get_client', fake.client)
    return fake


def _bdms(server, cell1):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        return objects.BlockDeviceMappingList.get_by_instance_uuid(cctxt, server.uuid).objects


def _attach(client, server, volume_id, version='2.1', **extra):
    body = {'volumeAttachment': dict({'volumeId': volume_id}, **extra)}
    return client.post('/servers/%s/os-volume_attachments' % server.uuid, body,
                       version=version)


def test_attach_reserves_the_volume_and_records_the_mapping(user, active_server, cell1,
                                                            cinder):
    volume_id = cinder.add_volume()
    res = _attach(user, active_server, volume_id, version='2.79',
                  delete_on_termination=True)
    assert res.status_int == 200, res.body
    shown = res.json_body_or_none['volumeAttachment']
    assert shown == {'id': volume_id, 'volumeId': volume_id, 'serverId': active_server.uuid,
                     'device': '/dev/vdb', 'tag': None, 'delete_on_termination': True}
    [bdm] = _bdms(active_server, cell1)
    assert (bdm.volume_id, bdm.device_name, bdm.delete_on_termination) == (
        volume_id, '/dev/vdb', True)
    assert cinder.attachments[bdm.attachment_id]['status'] == 'reserved'
    assert cinder.volumes[volume_id]['status'] == 'reserved'


def test_attach_refusals_leave_nothing_behind(user, admin, active_server, cell1, cinder):
    missing = '9b9e0b39-5d64-4b8f-9b4c-3a1f0c2c0f00'
    res = _attach(user, active_server, missing)
    assert res.status_int == 404 and 'itemNotFound' in res.json_body_or_none
    busy = cinder.add_volume(status='in-use')
    res = _attach(user, active_server, busy)
    assert res.status_int == 400 and 'badRequest' in res.json_body_or_none
    shared = cinder.add_volume(multiattach=True)
    res = _attach(user, active_server, shared, version='2.59')
    assert res.status_int == 400
    assert _attach(user, active_server, 'not-a-uuid').status_int == 400
    assert _attach(user, active_server, cinder.add_volume(), tag='x').status_int == 400
    assert _bdms(active_server, cell1) == [] and cinder.attachments == {}
    # Cinder failing after the mapping was written: mapping and attachment go again
    from nova import exception
    cinder.fail['attachment_create'] = exception.CinderConnectionFailed(reason='down')
    res = _attach(user, active_server, cinder.add_volume())
    assert res.status_int == 503
    assert _bdms(active_server, cell1) == [] and cinder.attachments == {}


def test_attach_and_detach_need_a_server_in_the_right_state(user, active_server, cell1,
                                                           cinder):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        server = objects.Instance.get_by_uuid(cctxt, active_server.uuid)
        server.task_state = 'rebooting'
        server.save()
    res = _attach(user, active_server, cinder.add_volume())
    assert res.status_int == 409 and 'conflictingRequest' in res.json_body_or_none
    assert _bdms(active_server, cell1) == []


def test_detach_marks_the_volume_detaching(user, active_server, cell1, cinder):
    volume_id = cinder.add_volume()
    assert _attach(user, active_server, volume_id).status_int == 200
    [bdm] = _bdms(active_server, cell1)
    cinder.client().attachment_complete(bdm.attachment_id)  # the host connected it
    path = '/servers/%s/os-volume_attachments/%s' % (active_server.uuid, volume_id)
    res = user.delete(path)
    assert res.status_int == 202, res.body
    assert cinder.volumes[volume_id]['status'] == 'detaching'
    # a second detach while the first is under way is refused
    assert user.delete(path).status_int == 400
    other = '9b9e0b39-5d64-4b8f-9b4c-3a1f0c2c0f00'
    res = user.delete('/servers/%s/os-volume_attachments/%s' % (active_server.uuid, other))
    assert res.status_int == 404


def test_the_root_volume_cannot_be_detached(user, active_server, cell1, cinder):
    volume_id = cinder.add_volume(status='in-use')
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        objects.BlockDeviceMapping(
            cctxt, instance_uuid=active_server.uuid, source_type='volume',
            destination_type='volume', boot_index=0, device_name='/dev/vda',
            volume_id=volume_id).create()
    res = user.delete('/servers/%s/os-volume_attachments/%s' % (active_server.uuid,
                                                                volume_id))
    assert res.status_int == 400 and 'root' in res.json_body_or_none['badRequest']['message']


def test_put_updates_delete_on_termination_from_2_85(user, admin, active_server, cell1,
                                                      cinder):
    volume_id = cinder.add_volume()
    assert _attach(user, active_server, volume_id).status_int == 200
    path = '/servers/%s/os-volume_attachments/%s' % (active_server.uuid, volume_id)
    body = {'volumeAttachment': {'volumeId': volume_id, 'delete_on_termination': True}}
    assert user.put(path, body, version='2.84').status_int == 400  # no such key before
    res = user.put(path, body, version='2.85')
    assert res.status_int == 202, res.body
    assert _bdms(active_server, cell1)[0].delete_on_termination is True
    moved = {'volumeAttachment': {'volumeId': volume_id, 'device': '/dev/vdz'}}
    assert user.put(path, moved, version='2.85').status_int == 400



def test_put_with_another_volume_swaps_for_an_admin(user, admin, active_server, cell1,
                                                    cinder):
    old = cinder.add_volume()
    assert _attach(user, active_server, old).status_int == 200
    [bdm] = _bdms(active_server, cell1)
    cinder.client().attachment_complete(bdm.attachment_id)
    path = '/servers/%s/os-volume_attachments/%s' % (active_server.uuid, old)
    new = cinder.add_volume(size=2)
    swap = {'volumeAttachment': {'volumeId': new}}
    assert user.put(path, swap).status_int == 403  # administrators only
    refusals = (cinder.add_volume(status='in-use'), cinder.add_volume(size=0))
    for bad in refusals:
        res = admin.put(path, {'volumeAttachment': {'volumeId': bad}})
        assert res.status_int == 400 and 'badRequest' in res.json_body_or_none
    other = '/servers/%s/os-volume_attachments/%s' % (active_server.uuid, new)
    assert admin.put(other, {'volumeAttachment': {'volumeId': old}}).status_int == 404
    assert cinder.volumes[old]['status'] == 'in-use'  # nothing changed by the refusals
    res = admin.put(path, swap)
    assert res.status_int == 202, res.body
    assert cinder.volumes[old]['status'] == 'detaching'
    assert cinder.volumes[new]['status'] == 'reserved'
    [reserved] = [a for a in cinder.attachments.values() if a['volume_id'] == new]
    assert reserved['instance'] == active_server.uuid


def test_attaching_a_volume_the_server_has_is_refused(user, active_server, cell1, cinder):
    volume_id = cinder.add_volume(multiattach=True)
    assert _attach(user, active_server, volume_id, version='2.60').status_int == 200
    res = _attach(user, active_server, volume_id, version='2.60')
    assert res.status_int == 400 and 'already attached' in \
        res.json_body_or_none['badRequest']['message']
    assert len(_bdms(active_server, cell1)) == 1 and len(cinder.attachments) == 1


def test_a_retried_attach_deletes_what_a_failed_one_left_in_cinder(user, active_server,
                                                                   cell1, cinder):
    """An attach whose host could not reach Cinder to undo its reservation left a
    reserved attachment and no mapping; the retry deletes it before reserving."""
    volume_id = cinder.add_volume()
    stale = cinder.client().attachment_create(volume_id, active_server.uuid)['id']
    other_server = cinder.client().attachment_create(cinder.add_volume(), 'someone-else')
    res = _attach(user, active_server, volume_id)
    assert res.status_int == 200, res.body
    [bdm] = _bdms(active_server, cell1)
    assert stale not in cinder.attachments and bdm.attachment_id in cinder.attachments
    assert other_server['id'] in cinder.attachments  # only this server's leftovers go
    assert [a['id'] for a in cinder.client().attachment_list(
        volume_id, active_server.uuid)] == [bdm.attachment_id]


def _finish_detach_with_error(cell1, server):
    """What the host records when its detach failed (its event finished, Error)."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        [action] = [a for a in objects.InstanceActionList.get_by_instance_uuid(
            cctxt, server.uuid) if a.action == 'detach_volume']
        cctxt.request_id = action.request_id
        objects.InstanceActionEvent.event_start(cctxt, server.uuid, 'compute_detach_volume')
        objects.InstanceActionEvent.event_finish_with_failure(
            cctxt, server.uuid, 'compute_detach_volume',
            exc_val=RuntimeError('Cinder was down'))


def test_a_detach_cinder_could_not_finish_can_be_retried(user, active_server, cell1,
                                                         cinder):
    """The host got the disk out of the guest but could not delete the attachment
    (Cinder down): the volume stays 'detaching' and the mapping stays; once that
    detach has ended, a new one is accepted (upstream's 400 would leave it stuck)."""
    volume_id = cinder.add_volume()
    assert _attach(user, active_server, volume_id).status_int == 200
    [bdm] = _bdms(active_server, cell1)
    cinder.client().attachment_complete(bdm.attachment_id)
    path = '/servers/%s/os-volume_attachments/%s' % (active_server.uuid, volume_id)
    assert user.delete(path).status_int == 202
    assert user.delete(path).status_int == 400  # still queued: refused
    _finish_detach_with_error(cell1, active_server)
    assert cinder.volumes[volume_id]['status'] == 'detaching'
    res = user.delete(path)
    assert res.status_int == 202, res.body
    assert user.delete(path).status_int == 400  # the retry is under way in its turn


@pytest.fixture
def node_traits(active_server, cell1, monkeypatch):
    """host1's node in cell1; the traits Placement holds for it (a set to edit)."""
    from nova.compute import api as compute_api
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        service = objects.Service.get_by_compute_host(cctxt, 'host1')
        node = objects.ComputeNode(
            context=cctxt, host='host1', hypervisor_hostname='host1', vcpus=4,
            memory_mb=8192, local_gb=100, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
            hypervisor_type='fake', hypervisor_version=1000, cpu_info='{}',
            free_ram_mb=8192, free_disk_gb=100, current_workload=0, running_vms=0,
            disk_available_least=100, host_ip='192.168.1.3', supported_hv_specs=[],
            cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0,
            service_id=service.id, stats={}, mapped=1)
        node.create()
    traits = {'COMPUTE_NODE'}
    asked = []

    def get_traits(context, rp_uuid):
        asked.append(rp_uuid)
        return {'traits': sorted(traits), 'resource_provider_generation': 1}
    monkeypatch.setattr(compute_api.get().reportclient, 'get_traits', get_traits)
    return traits, asked, node.uuid


def test_a_multiattach_volume_needs_a_host_that_can_share_disks(user, active_server, cell1,
                                                                 cinder, node_traits):
    """Upstream's 409 when the server's compute cannot attach a multiattach volume
    (its node provider lacks COMPUTE_VOLUME_MULTI_ATTACH); nothing is reserved."""
    traits, asked, node_uuid = node_traits
    shared = cinder.add_volume(multiattach=True)
    res = _attach(user, active_server, shared, version='2.60')
    assert res.status_int == 409, res.body
    assert res.json_body_or_none == {'conflictingRequest': {
        'code': 409, 'message': "Volume %s has 'multiattach' set, which is not "
                                "supported for this instance." % shared}}
    assert asked == [node_uuid]
    assert _bdms(active_server, cell1) == [] and cinder.attachments == {}
    assert cinder.volumes[shared]['status'] == 'available'
    # an ordinary volume does not ask Placement
    assert _attach(user, active_server, cinder.add_volume(), version='2.60'
                   ).status_int == 200
    assert asked == [node_uuid]
    # before 2.60 the microversion's 400 comes first
    res = _attach(user, active_server, shared, version='2.59')
    assert res.status_int == 400 and '2.60' in res.json_body_or_none['badRequest']['message']
    traits.add('COMPUTE_VOLUME_MULTI_ATTACH')
    res = _attach(user, active_server, shared, version='2.60')
    assert res.status_int == 200, res.body
    assert cinder.volumes[shared]['status'] == 'reserved'


def test_placement_unreadable_leaves_multiattach_to_the_host(user, active_server, cell1,
                                                              cinder, node_traits,
                                                              monkeypatch):
    from nova.compute import api as compute_api
    from nova import exception

    def down(context, rp_uuid):
        raise exception.ResourceProviderRetrievalFailed(uuid=rp_uuid)
    monkeypatch.setattr(compute_api.get().reportclient, 'get_traits', down)
    shared = cinder.add_volume(multiattach=True)
    assert _attach(user, active_server, shared, version='2.60').status_int == 200
    assert len(_bdms(active_server, cell1)) == 1
