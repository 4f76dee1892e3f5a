"""A compute host for the unit tests of rebuild, rescue and shelve.

The manager's families run for real (per-instance lock, task-state steps,
faults, instance records in the per-test databases) on the fake driver.
Glance and Placement cannot run in a unit test: an in-memory image store
and a report client that records what it was asked to free stand in.
"""

from nova.compute import rebuild
from nova.compute import rescue
from nova.compute import resource_tracker
from nova.compute import shelve
from nova.compute import snapshot
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova.virt import fake
from tests.unit.compute import booting

HOST = 'host1'
IMAGE = '5f1b3c5e-2f43-4a5b-9a0e-7b8c9d0e1f2a'
IMAGE2 = '6a2c4d6f-3054-4b6c-8b1f-8c9d0e1f2a3b'


class Images(object):
    """Glance as far as these moves go: get, delete, and a snapshot's upload."""

    def __init__(self):
        self.images = {}
        self.deleted = []

    def add(self, image_id, status='active', **properties):
        self.images[image_id] = {'id': image_id, 'status': status, 'name': image_id,
                                 'disk_format': 'raw', 'container_format': 'bare',
                                 'properties': properties}

    def get(self, context, image_id):
        if image_id not in self.images:
            raise exception.ImageNotFound(image_id=image_id)
        return dict(self.images[image_id])

    def delete(self, context, image_id):
        if self.images.pop(image_id, None) is None:
            raise exception.ImageNotFound(image_id=image_id)
        self.deleted.append(image_id)


class Driver(fake.FakeDriver):
    """The fake driver; its snapshot fills the in-memory image, and a test may make
    a spawn fail."""

    def __init__(self, images):
        super().__init__(None)
        self.images = images
        self.fail_spawn = False

    def snapshot(self, context, instance, image_id, update_task_state):
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        self.images.images[image_id]['status'] = 'active'

    def spawn(self, *args, **kwargs):
        if self.fail_spawn:
            raise exception.InstanceNotRunning(instance_id='spawn failed on purpose')
        return super().spawn(*args, **kwargs)


class Host(rebuild.RebuildOperations, rescue.RescueOperations, shelve.ShelveOperations,
           snapshot.SnapshotOperations):
    def __init__(self):
        self.host = HOST
        self._init_instance_locks()
        self._init_snapshots()
        self.image_api = Images()
        self.driver = Driver(self.image_api)
        self.driver.init_host(HOST)
        self.reportclient = booting.RecordingReportClient()
        self.rt = resource_tracker.ResourceTracker(HOST, self.driver, self.reportclient)

    def set_periodic_spacing(self, name, spacing):
        pass


def make_instance(ctxt, compute, task_state, vm_state=vm_states.ACTIVE, running=True):
    objects.register_all()
    instance = objects.Instance(
        ctxt, uuid='9a7c3e1d-5b2f-4e6a-8c0d-1f2e3a4b5c6d', project_id='p', user_id='u',
        display_name='vm', host=HOST, node=HOST, vm_state=vm_state, task_state=task_state,
        memory_mb=512, vcpus=1, image_ref=IMAGE, system_metadata={},
        flavor=objects.Flavor(flavorid='1', name='m1.tiny', memory_mb=512, vcpus=1,
                              root_gb=1, ephemeral_gb=0, swap=0))
    instance.create()
    compute.driver.instances[instance.uuid] = fake.FakeInstance(
        instance.uuid, 'vm', fake.POWER_RUNNING if running else fake.POWER_SHUTDOWN)
    compute.image_api.add(IMAGE)
    compute.image_api.add(IMAGE2, hw_rescue_bus='usb')
    return instance


def stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid,
                                        expected_attrs=['system_metadata'])


def faults(ctxt, instance):
    return objects.InstanceFaultList.get_by_instance_uuids(ctxt, [instance.uuid])
