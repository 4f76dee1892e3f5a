"""The compute manager's snapshot and backup flow, and its rollback when the driver fails.

The flow runs for real (per-instance lock, task-state steps, fault recording)
on an instance row in the per-test databases. Glance cannot run in a unit
test: an in-memory image store stands in for it, and the driver's snapshot
writes into that store instead of uploading over HTTP.
"""

import pytest

from nova.compute import snapshot
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova.virt import fake

HOST = 'host1'
IMAGE = '5f1b3c5e-2f43-4a5b-9a0e-7b8c9d0e1f2a'


class _Images(object):
    """Glance's images as far as a snapshot goes: get, delete, list backups."""

    def __init__(self):
        self.images = {}
        self.deleted = []
        self.refuse_deletes = False

    def add(self, image_id, status='queued', **properties):
        self.images[image_id] = {'id': image_id, 'status': status,
                                 'properties': properties,
                                 'created_at': properties.pop('created_at', '')}

    def get(self, context, image_id):
        if image_id not in self.images:
            raise exception.ImageNotFound(image_id=image_id)
        return dict(self.images[image_id])

    def delete(self, context, image_id):
        if self.refuse_deletes:
            raise exception.ImageNotAuthorized(image_id=image_id)
        if self.images.pop(image_id, None) is None:
            raise exception.ImageNotFound(image_id=image_id)
        self.deleted.append(image_id)

    def get_all(self, context, filters=None, sort_key=None, sort_dir=None):
        images = sorted(self.images.values(), key=lambda i: i['created_at'],
                        reverse=sort_dir == 'desc')
        return [dict(i) for i in images]


class _Driver(fake.FakeDriver):
    """The fake driver; its snapshot steps the task states and fills the image in
    the in-memory store, or fails at the step a test chooses."""

    def __init__(self, images):
        super().__init__(None)
        self.images = images
        self.fail_at = None
        self.task_states = []

    def snapshot(self, context, instance, image_id, update_task_state):
        if self.fail_at == 'start':
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        self.task_states.append(instance.task_state)
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        self.task_states.append(instance.task_state)
        if self.fail_at == 'upload':
            raise IOError('disk read failed half way')
        self.images.images[image_id]['status'] = 'active'
        if self.fail_at == 'after-upload':
            raise RuntimeError('guest did not resume after the snapshot')


class _Host(snapshot.SnapshotOperations):
    def __init__(self):
        self.host = HOST
        self._init_instance_locks()
        self._init_snapshots()
        self.image_api = _Images()
        self.driver = _Driver(self.image_api)
        self.driver.init_host(HOST)


@pytest.fixture
def compute(fake_rpc):
    return _Host()


@pytest.fixture
def instance(ctxt, compute):
    objects.register_all()
    instance = objects.Instance(
        ctxt, uuid='9a7c3e1d-5b2f-4e6a-8c0d-1f2e3a4b5c6d', project_id='p', user_id='u',
        display_name='vm', host=HOST, vm_state=vm_states.ACTIVE,
        task_state=task_states.IMAGE_SNAPSHOT, memory_mb=512, vcpus=1)
    instance.create()
    compute.driver.instances[instance.uuid] = fake.FakeInstance(instance.uuid, 'vm',
                                                                fake.POWER_RUNNING)
    compute.image_api.add(IMAGE)
    return instance


def _stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid)


def _faults(ctxt, instance):
    return objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])


def test_a_snapshot_steps_through_the_upload_states_and_keeps_its_image(compute, ctxt,
                                                                         instance):
    compute.snapshot_instance(ctxt, instance, IMAGE)
    assert compute.driver.task_states == [task_states.IMAGE_PENDING_UPLOAD,
                                          task_states.IMAGE_UPLOADING]
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ACTIVE, None)
    assert compute.image_api.images[IMAGE]['status'] == 'active'
    assert compute.image_api.deleted == []
    assert len(_faults(ctxt, instance)) == 0


@pytest.mark.parametrize('fail_at', ['start', 'upload'])
def test_a_failed_snapshot_deletes_its_image_and_leaves_the_server_as_it_was(
        compute, ctxt, instance, fail_at):
    compute.driver.fail_at = fail_at
    compute.snapshot_instance(ctxt, instance, IMAGE)
    assert compute.image_api.deleted == [IMAGE]
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ACTIVE, None)
    # The user sees why in the server's fault.
    assert len(_faults(ctxt, instance)) == 1


def test_an_image_already_uploaded_is_kept_when_a_later_step_fails(compute, ctxt,
                                                                   instance):
    compute.driver.fail_at = 'after-upload'
    compute.snapshot_instance(ctxt, instance, IMAGE)
    assert compute.image_api.deleted == []
    assert IMAGE in compute.image_api.images
    assert _stored(ctxt, instance).task_state is None


def test_rollback_copes_with_an_image_gone_or_undeletable(compute, ctxt, instance):
    compute.driver.fail_at = 'upload'
    compute.image_api.refuse_deletes = True
    compute.snapshot_instance(ctxt, instance, IMAGE)
    # The image stays (Glance refused), but the server still leaves its task.
    assert IMAGE in compute.image_api.images
    assert _stored(ctxt, instance).task_state is None
    # And an image that is already gone is no error at all.
    del compute.image_api.images[IMAGE]
    compute._delete_failed_image(ctxt, IMAGE)


def test_a_snapshot_of_a_server_whose_task_changed_is_abandoned(compute, ctxt, instance):
    """Someone else moved the server on (e.g. a delete): the snapshot touches nothing."""
    stored = _stored(ctxt, instance)
    stored.task_state = task_states.DELETING
    stored.save()
    compute.snapshot_instance(ctxt, instance, IMAGE)
    assert compute.driver.task_states == []
    assert _stored(ctxt, instance).task_state == task_states.DELETING
    assert compute.image_api.deleted == []


def test_a_backup_rotates_out_the_oldest_of_its_kind(compute, ctxt, instance):
    images = compute.image_api
    for n, (server, kind) in enumerate([(instance.uuid, 'daily'), (instance.uuid, 'daily'),
                                        (instance.uuid, 'weekly'), ('other', 'daily')]):
        images.add('old-%d' % n, status='active', instance_uuid=server, backup_type=kind,
                   image_type='backup', created_at='2026-01-0%d' % (n + 1))
    images.images[IMAGE].update(created_at='2026-02-01', properties={
        'instance_uuid': instance.uuid, 'backup_type': 'daily', 'image_type': 'backup'})
    stored = _stored(ctxt, instance)
    stored.task_state = task_states.IMAGE_BACKUP
    stored.save()
    compute.backup_instance(ctxt, stored, IMAGE, 'daily', 2)
    # The new backup and the newest older daily one of this server are kept.
    assert images.deleted == ['old-0']
    assert {'old-1', 'old-2', 'old-3', IMAGE} <= set(images.images)
