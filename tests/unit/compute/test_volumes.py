"""The compute manager's attach, detach and delete of volumes on real rows, with
the fake driver (its bookkeeping of a guest's volumes) and the unit tier's
in-memory Cinder: a failure at any step undoes the earlier ones, so Cinder
never shows a volume attached that the guest does not have."""

import pytest

from nova.compute import block_devices
from nova.compute import vm_states
from nova.compute import volumes
from nova import exception
from nova import objects
from nova.virt import fake
from nova.volume import cinder as cinder_client
from tests.unit.volume.fake_cinder import FakeCinder

HOST = 'host1'


class _Driver(fake.FakeDriver):
    def __init__(self):
        super().__init__(None)
        self.refuse_detach = False

    def detach_volume(self, context, connection_info, instance, mountpoint, encryption=None):
        if self.refuse_detach:
            raise exception.DeviceDetachFailed(device=mountpoint, reason='guest ignored it')
        super().detach_volume(context, connection_info, instance, mountpoint, encryption)


class _Host(volumes.VolumeOperations):
    def __init__(self):
        self.host = HOST
        self._init_instance_locks()
        self.driver = _Driver()
        self.driver.init_host(HOST)


@pytest.fixture
def cinder(monkeypatch):
    fake_cinder = FakeCinder()
    monkeypatch.setattr(cinder_client, 'get_client', fake_cinder.client)
    return fake_cinder


@pytest.fixture
def compute(fake_rpc):
    return _Host()


@pytest.fixture
def instance(ctxt, compute):
    objects.register_all()
    instance = objects.Instance(
        ctxt, uuid='7d1c3e1d-5b2f-4e6a-8c0d-1f2e3a4b5c6d', project_id='p', user_id='u',
        display_name='vm', host=HOST, vm_state=vm_states.ACTIVE, task_state=None,
        memory_mb=512, vcpus=1)
    instance.create()
    compute.driver.instances[instance.uuid] = fake.FakeInstance(instance.uuid, 'vm',
                                                                fake.POWER_RUNNING)
    return instance


def _reserved(ctxt, cinder, instance, delete_on_termination=False):
    """What the API leaves: a mapping and an attachment without a connector."""
    volume_id = cinder.add_volume()
    attachment = cinder.client().attachment_create(volume_id, instance.uuid)
    bdm = objects.BlockDeviceMapping(
        ctxt, instance_uuid=instance.uuid, source_type='volume', destination_type='volume',
        device_name='/dev/vdb', volume_id=volume_id, attachment_id=attachment['id'],
        delete_on_termination=delete_on_termination)
    bdm.create()
    return volume_id, bdm


def _guest_volumes(compute, instance):
    return compute.driver.instances[instance.uuid].volumes


def _assert_detached(ctxt, cinder, instance, volume_id):
    """Cinder has the volume available with no attachment; Nova has no mapping."""
    assert cinder.volumes[volume_id]['status'] == 'available' and cinder.attachments == {}
    with pytest.raises(exception.VolumeBDMNotFound):
        objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, volume_id, instance.uuid)


def test_attach_connects_completes_and_keeps_the_connection_info(ctxt, compute, instance,
                                                                 cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm)
    assert cinder.volumes[volume_id]['status'] == 'in-use'
    assert cinder.attachments[bdm.attachment_id]['connector']['host']
    connection = _guest_volumes(compute, instance)['/dev/vdb']
    assert connection['driver_volume_type'] == 'rbd' and connection['serial'] == volume_id
    stored = objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, volume_id,
                                                                  instance.uuid)
    assert volumes.connection_info_of(stored)['data']['name'] == 'volumes/volume-%s' % \
        volume_id


def test_a_failed_attach_leaves_no_attachment_and_no_mapping(ctxt, compute, instance,
                                                            cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    cinder.fail['attachment_complete'] = exception.CinderConnectionFailed(reason='down')
    compute.attach_volume(ctxt, instance, bdm)
    assert _guest_volumes(compute, instance) == {}  # taken back from the guest
    _assert_detached(ctxt, cinder, instance, volume_id)
    faults = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert len(faults) == 1


def test_detach_deletes_the_attachment_after_the_guest_lets_go(ctxt, compute, instance,
                                                               cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm)
    cinder.client().begin_detaching(volume_id)
    compute.detach_volume(ctxt, instance, volume_id, bdm.attachment_id)
    assert _guest_volumes(compute, instance) == {}
    _assert_detached(ctxt, cinder, instance, volume_id)


def test_a_detach_the_guest_ignores_keeps_the_volume_attached(ctxt, compute, instance,
                                                              cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm)
    cinder.client().begin_detaching(volume_id)
    compute.driver.refuse_detach = True
    compute.detach_volume(ctxt, instance, volume_id, bdm.attachment_id)
    # the guest still has it, so Cinder still shows it in use, and a retry can work
    assert '/dev/vdb' in _guest_volumes(compute, instance)
    assert cinder.volumes[volume_id]['status'] == 'in-use'
    assert bdm.attachment_id in cinder.attachments
    compute.driver.refuse_detach = False
    cinder.client().begin_detaching(volume_id)
    compute.detach_volume(ctxt, instance, volume_id, bdm.attachment_id)
    assert cinder.volumes[volume_id]['status'] == 'available'


def test_a_deleted_server_frees_or_deletes_its_volumes(ctxt, compute, instance, cinder):
    kept, bdm_kept = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm_kept)
    gone, bdm_gone = _reserved(ctxt, cinder, instance, delete_on_termination=True)
    bdm_gone.device_name = '/dev/vdc'
    bdm_gone.save()
    compute.attach_volume(ctxt, instance, bdm_gone)
    compute._release_volumes(ctxt, instance)
    assert cinder.volumes[kept]['status'] == 'available'
    assert gone not in cinder.volumes
    assert cinder.attachments == {}
    assert objects.BlockDeviceMappingList.get_by_instance_uuid(ctxt, instance.uuid).objects == []


def _bfv_mapping(ctxt, instance, **values):
    fields = dict(instance_uuid=instance.uuid, source_type='image', destination_type='volume',
                  boot_index=0, volume_size=1, delete_on_termination=True,
                  image_id='5f1b3c5e-2f43-4a5b-9a0e-7b8c9d0e1f2a')
    fields.update(values)
    bdm = objects.BlockDeviceMapping(ctxt, **fields)
    bdm.create()
    return bdm


def test_boot_from_volume_creates_and_connects_the_root_volume(ctxt, compute, instance,
                                                               cinder):
    instance.flavor = objects.Flavor(root_gb=1, name='t', memory_mb=512, vcpus=1)
    _bfv_mapping(ctxt, instance)
    info = block_devices.prepare(ctxt, compute.driver, instance)
    [mapping] = info['block_device_mapping']
    assert info['root_device_name'] == '/dev/vda' == mapping['mount_device']
    [volume] = cinder.volumes.values()
    assert volume['image_id'] == '5f1b3c5e-2f43-4a5b-9a0e-7b8c9d0e1f2a'
    assert volume['status'] == 'attaching'
    assert mapping['connection_info']['driver_volume_type'] == 'rbd'
    [bdm] = objects.BlockDeviceMappingList.get_by_instance_uuid(ctxt, instance.uuid)
    assert bdm.volume_id == volume['id'] and bdm.attachment_id == mapping['attachment_id']
    block_devices.complete(ctxt, info)
    assert volume['status'] == 'in-use'


def test_a_volume_cinder_fails_to_create_aborts_the_build(ctxt, compute, instance, cinder,
                                                          monkeypatch):
    monkeypatch.setattr(block_devices.time, 'sleep', lambda s: None)
    instance.flavor = objects.Flavor(root_gb=1, name='t', memory_mb=512, vcpus=1)
    _bfv_mapping(ctxt, instance)
    cinder.fail['create_volume_async'] = True
    with pytest.raises(exception.VolumeNotCreated):
        block_devices.prepare(ctxt, compute.driver, instance)
    assert cinder.attachments == {}


def test_a_failed_spawn_leaves_no_attachment(ctxt, compute, instance, cinder):
    instance.flavor = objects.Flavor(root_gb=1, name='t', memory_mb=512, vcpus=1)
    _bfv_mapping(ctxt, instance)
    block_devices.prepare(ctxt, compute.driver, instance)
    assert len(cinder.attachments) == 1
    block_devices.abort(ctxt, instance)
    assert cinder.attachments == {}
    [bdm] = objects.BlockDeviceMappingList.get_by_instance_uuid(ctxt, instance.uuid)
    assert bdm.volume_id and bdm.attachment_id is None  # kept for the delete


def test_cinder_down_during_an_attach_leaves_the_guest_and_nova_without_it(
        ctxt, compute, instance, cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    down = exception.CinderConnectionFailed(reason='down')
    cinder.fail.update(attachment_update=down, attachment_delete=down)
    compute.attach_volume(ctxt, instance, bdm)
    assert _guest_volumes(compute, instance) == {}
    with pytest.raises(exception.VolumeBDMNotFound):
        objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, volume_id, instance.uuid)
    # Cinder was unreachable: its reservation stays until the next attach of the
    # volume to this server deletes it (tests/unit/api/.../test_volume_attachments)
    assert cinder.attachments[bdm.attachment_id]['status'] == 'reserved'
    instance.refresh()
    assert (instance.vm_state, instance.task_state) == (vm_states.ACTIVE, None)
    [fault] = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert 'down' in fault.message or 'Cinder' in fault.message


def test_cinder_down_after_the_guest_let_go_keeps_the_mapping_for_a_retry(
        ctxt, compute, instance, cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm)
    cinder.client().begin_detaching(volume_id)
    cinder.fail['attachment_delete'] = exception.CinderConnectionFailed(reason='down')
    compute.detach_volume(ctxt, instance, volume_id, bdm.attachment_id)
    assert _guest_volumes(compute, instance) == {}
    # Nova keeps the mapping as long as Cinder keeps the attachment ...
    objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, volume_id, instance.uuid)
    assert cinder.volumes[volume_id]['status'] == 'detaching'
    # ... and the retry (the API lets it through, see test_volume_attachments) ends both
    compute.detach_volume(ctxt, instance, volume_id, bdm.attachment_id)
    _assert_detached(ctxt, cinder, instance, volume_id)


def test_a_multiattach_volume_reaches_the_driver_as_one_to_share(ctxt, compute, instance,
                                                                  cinder):
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    cinder.volumes[volume_id]['multiattach'] = True
    compute.attach_volume(ctxt, instance, bdm)
    assert _guest_volumes(compute, instance)['/dev/vdb']['multiattach'] is True
    assert cinder.volumes[volume_id]['status'] == 'in-use'


def test_a_driver_that_cannot_share_disks_refuses_a_multiattach_volume(
        ctxt, compute, instance, cinder, monkeypatch):
    monkeypatch.setattr(compute.driver, 'capabilities',
                        dict(compute.driver.capabilities, supports_multiattach=False))
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    cinder.volumes[volume_id]['multiattach'] = True
    compute.attach_volume(ctxt, instance, bdm)
    assert _guest_volumes(compute, instance) == {}
    assert cinder.attachments == {} and cinder.volumes[volume_id]['status'] == 'available'
    [fault] = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert 'multiattach' in fault.message


def _swap_ready(ctxt, cinder, compute, instance, new_size=1):
    """An attached volume, and a new one the API has reserved for the swap."""
    old, bdm = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm)
    new = cinder.add_volume(size=new_size)
    cinder.client().begin_detaching(old)
    attachment = cinder.client().attachment_create(new, instance.uuid)
    return old, new, bdm, attachment['id']


def test_swap_moves_the_guest_nova_and_cinder_to_the_new_volume(ctxt, compute, instance,
                                                                cinder):
    old, new, bdm, new_attachment = _swap_ready(ctxt, cinder, compute, instance, 2)
    compute.swap_volume(ctxt, instance, old, new, new_attachment)
    assert _guest_volumes(compute, instance)['/dev/vdb']['serial'] == new
    assert cinder.volumes[old]['status'] == 'available'
    assert cinder.volumes[new]['status'] == 'in-use'
    assert list(cinder.attachments) == [new_attachment]
    swapped = objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, new, instance.uuid)
    assert (swapped.attachment_id, swapped.device_name, swapped.volume_size) == (
        new_attachment, '/dev/vdb', 2)
    assert volumes.connection_info_of(swapped)['serial'] == new


def test_a_failed_swap_leaves_the_guest_on_the_old_volume(ctxt, compute, instance, cinder,
                                                          monkeypatch):
    old, new, bdm, new_attachment = _swap_ready(ctxt, cinder, compute, instance)

    def refuse(*args, **kwargs):
        raise exception.VolumeRebaseFailed(reason='copy failed')
    monkeypatch.setattr(compute.driver, 'swap_volume', refuse)
    compute.swap_volume(ctxt, instance, old, new, new_attachment)
    assert _guest_volumes(compute, instance)['/dev/vdb']['serial'] == old
    assert cinder.volumes[old]['status'] == 'in-use'
    assert new_attachment not in cinder.attachments
    assert cinder.volumes[new]['status'] == 'available'
    objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, old, instance.uuid)
    [fault] = objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
    assert 'copy failed' in fault.message


def _started(ctxt, instance, action, event, request_id):
    """An action the API recorded (``event`` None: still queued) and the event a
    host starts when it takes the request."""
    from nova import context as nova_context
    cctxt = nova_context.RequestContext('u', 'p', is_admin=True, request_id=request_id)
    objects.InstanceAction.action_start(cctxt, instance.uuid, action)
    if event:
        objects.InstanceActionEvent.event_start(cctxt, instance.uuid, event)


def _events(ctxt, instance):
    return {(a.action, e.event): e.result
            for a in objects.InstanceActionList.get_by_instance_uuid(ctxt, instance.uuid)
            for e in objects.InstanceActionEventList.get_by_action(ctxt, a.id)}


def test_startup_undoes_an_attach_the_service_stopped_in(ctxt, compute, instance, cinder):
    """nova-compute died after the guest got the disk, before Cinder heard the attach
    was complete: the request will not come back, so the next start takes the disk
    back and deletes the attachment and the mapping; the event ends in error and a
    new attach of the volume works. An attach still queued is left to run."""
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    _started(ctxt, instance, 'attach_volume', 'compute_attach_volume', 'req-1')
    cinder.fail['attachment_complete'] = SystemExit('nova-compute killed')
    with pytest.raises(SystemExit):
        compute.attach_volume.__wrapped__(compute, ctxt, instance, bdm)
    assert '/dev/vdb' in _guest_volumes(compute, instance)
    assert cinder.volumes[volume_id]['status'] == 'attaching'
    queued_volume, queued = _reserved(ctxt, cinder, instance)
    queued.device_name = '/dev/vdc'
    queued.save()
    _started(ctxt, instance, 'attach_volume', None, 'req-2')

    compute._settle_interrupted_volume_operations(ctxt, instance)
    assert _guest_volumes(compute, instance) == {}
    assert cinder.volumes[volume_id]['status'] == 'available'
    assert bdm.attachment_id not in cinder.attachments
    with pytest.raises(exception.VolumeBDMNotFound):
        objects.BlockDeviceMapping.get_by_volume_and_instance(ctxt, volume_id, instance.uuid)
    assert _events(ctxt, instance) == {('attach_volume', 'compute_attach_volume'): 'Error'}
    # the queued attach is untouched and runs when the host takes it
    assert cinder.attachments[queued.attachment_id]['status'] == 'reserved'
    compute.attach_volume(ctxt, instance, queued)
    assert cinder.volumes[queued_volume]['status'] == 'in-use'
    # a second start finds nothing to settle
    calls = len(cinder.calls)
    compute._settle_interrupted_volume_operations(ctxt, instance)
    assert len(cinder.calls) == calls


def test_startup_ends_a_detach_the_service_stopped_in(ctxt, compute, instance, cinder):
    """Killed after Cinder deleted the attachment: the mapping goes too. Killed
    before: the volume stays attached (and detaching), the event ends in error so
    that the API takes the detach again."""
    volume_id, bdm = _reserved(ctxt, cinder, instance)
    compute.attach_volume(ctxt, instance, bdm)
    other_volume, other = _reserved(ctxt, cinder, instance)
    other.device_name = '/dev/vdc'
    other.save()
    compute.attach_volume(ctxt, instance, other)
    for volume in (volume_id, other_volume):
        cinder.client().begin_detaching(volume)
    _started(ctxt, instance, 'detach_volume', 'compute_detach_volume', 'req-3')
    cinder.client().attachment_delete(bdm.attachment_id)  # where the first one stopped

    compute._settle_interrupted_volume_operations(ctxt, instance)
    assert list(_guest_volumes(compute, instance)) == ['/dev/vdc']
    [left] = objects.BlockDeviceMappingList.get_by_instance_uuid(ctxt, instance.uuid)
    assert left.volume_id == other_volume
    assert cinder.volumes[other_volume]['status'] == 'detaching'
    assert _events(ctxt, instance) == {('detach_volume', 'compute_detach_volume'): 'Error'}
