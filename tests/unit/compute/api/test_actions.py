"""The compute API's server actions: which states each accepts, the task state it moves
the server into, the action it records and the cast it makes; snapshots' image
records; soft delete and restore with the host up or down; lock ownership.

Real SQLite cell database; nova-compute's RPC client and Glance are recording
stand-ins (the unit tier runs neither)."""

import datetime

import oslo_messaging as messaging
import pytest

from nova.compute.api import actions as api_actions
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova import objects

LAUNCHED = datetime.datetime(2026, 1, 1)


class _RPC(object):
    """Records the casts and calls nova-compute would get."""

    def __init__(self):
        self.sent = []
        self.fail = None

    def __getattr__(self, method):
        def send(context, instance, *args, **kwargs):
            if self.fail:
                raise self.fail
            self.sent.append((method, instance.uuid) + args)
            return 'answer of %s' % method
        return send


class _Images(object):
    def __init__(self):
        self.created = []
        self.fail = False

    def create(self, context, meta):
        if self.fail:
            raise exception.ImageNotAuthorized(image_id='new')
        self.created.append(meta)
        return dict(meta, id='image-%d' % len(self.created))


class _API(api_actions.ActionsAPIMixin):
    def __init__(self):
        self.compute_rpcapi = _RPC()
        self.image_api = _Images()
        self.host_up = True
        self.queued_for_delete = []

    def _host_is_up(self, context, host):
        return self.host_up

    def _set_mapping_queued_for_delete(self, context, uuid, queued):
        self.queued_for_delete.append(queued)


@pytest.fixture
def api():
    return _API()


@pytest.fixture
def instance(ctxt):
    flavor = objects.Flavor(ctxt, name='m1', flavorid='1', memory_mb=64, vcpus=1, root_gb=5,
                            ephemeral_gb=0, swap=0)
    flavor.create()
    inst = objects.Instance(ctxt, project_id=ctxt.project_id, user_id=ctxt.user_id,
                            host='compute1', node='node1', vm_state=vm_states.ACTIVE,
                            task_state=None, power_state=power_state.RUNNING,
                            launched_at=LAUNCHED, image_ref='base-image', flavor=flavor,
                            system_metadata={'image_min_disk': '2', 'image_disk_format': 'qcow2',
                                             'image_os_distro': 'cirros',
                                             'image_min_ram': '64'},
                            metadata={})
    inst.create()
    return inst


def _actions(ctxt, instance):
    return [a.action for a in objects.InstanceActionList.get_by_instance_uuid(ctxt,
                                                                               instance.uuid)]


def _stored(ctxt, instance):
    return objects.Instance.get_by_uuid(ctxt, instance.uuid)


@pytest.mark.parametrize('method, task_state, cast, action', [
    ('stop', task_states.POWERING_OFF, 'stop_instance', 'stop'),
    ('pause', task_states.PAUSING, 'pause_instance', 'pause'),
    ('suspend', task_states.SUSPENDING, 'suspend_instance', 'suspend'),
])
def test_an_action_moves_into_its_task_records_it_and_casts(api, ctxt, instance, method,
                                                            task_state, cast, action):
    getattr(api, method)(ctxt, instance)
    assert _stored(ctxt, instance).task_state == task_state
    assert _actions(ctxt, instance) == [action]
    assert api.compute_rpcapi.sent[0][:2] == (cast, instance.uuid)


@pytest.mark.parametrize('method, vm_state', [
    ('start', vm_states.STOPPED), ('unpause', vm_states.PAUSED),
    ('resume', vm_states.SUSPENDED)])
def test_the_way_back_needs_the_state_the_way_there_left(api, ctxt, instance, method,
                                                         vm_state):
    with pytest.raises(exception.InstanceInvalidState):
        getattr(api, method)(ctxt, instance)
    instance.vm_state = vm_state
    instance.save()
    getattr(api, method)(ctxt, instance)
    assert api.compute_rpcapi.sent[0][0] == '%s_instance' % method


def test_a_soft_reboot_needs_a_quiet_active_server_a_hard_one_does_not(api, ctxt, instance):
    api.reboot(ctxt, instance, 'SOFT')
    assert _stored(ctxt, instance).task_state == task_states.REBOOTING
    with pytest.raises(exception.InstanceInvalidState):
        api.reboot(ctxt, instance, 'SOFT')
    api.reboot(ctxt, instance, 'HARD')  # interrupts the soft reboot
    assert _stored(ctxt, instance).task_state == task_states.REBOOTING_HARD
    assert [s[-1] for s in api.compute_rpcapi.sent] == ['SOFT', 'HARD']
    instance.vm_state, instance.task_state = vm_states.ERROR, None
    instance.save()
    api.reboot(ctxt, instance, 'HARD')
    assert _actions(ctxt, instance) == ['reboot'] * 3


def test_a_locked_server_refuses_its_user_but_not_an_admin(api, ctxt, instance):
    user = nova_context.RequestContext(user_id=ctxt.user_id, project_id=ctxt.project_id)
    api.lock(user, instance, reason='maintenance')
    stored = _stored(ctxt, instance)
    assert stored.locked and stored.locked_by == 'owner'
    assert stored.system_metadata['locked_reason'] == 'maintenance'
    with pytest.raises(exception.InstanceIsLocked):
        api.stop(user, stored)
    api.stop(ctxt, stored)  # the admin context
    api.unlock(user, stored)
    stored = _stored(ctxt, instance)
    assert not stored.locked and stored.locked_by is None
    assert 'locked_reason' not in stored.system_metadata
    assert _actions(ctxt, instance) == ['unlock', 'stop', 'lock']


def test_an_admin_locking_another_projects_server_is_the_admin_lock(api, ctxt, instance):
    admin = nova_context.RequestContext(user_id='a', project_id='admins', is_admin=True)
    api.lock(admin, instance)
    assert _stored(ctxt, instance).locked_by == 'admin'


def test_a_snapshot_image_carries_the_servers_image_properties(api, ctxt, instance):
    image = api.snapshot(ctxt, instance, 'snap', extra_properties={'extra': 'x'})
    [meta] = api.image_api.created
    assert meta['name'] == 'snap' and meta['visibility'] == 'private'
    assert meta['disk_format'] == 'qcow2' and meta['container_format'] == 'bare'
    assert meta['min_disk'] == 5  # the flavor's root disk beats the image's 2
    assert meta['min_ram'] == 64
    props = meta['properties']
    assert props['os_distro'] == 'cirros' and props['extra'] == 'x'
    assert props['image_type'] == 'snapshot' and props['base_image_ref'] == 'base-image'
    assert 'min_disk' not in props and 'disk_format' not in props
    assert api.compute_rpcapi.sent == [('snapshot_instance', instance.uuid, image['id'])]
    assert _stored(ctxt, instance).task_state == task_states.IMAGE_SNAPSHOT
    assert _actions(ctxt, instance) == ['createImage']


def test_a_failed_image_create_leaves_the_task_again(api, ctxt, instance):
    api.image_api.fail = True
    with pytest.raises(exception.ImageNotAuthorized):
        api.backup(ctxt, instance, 'b', 'daily', 2)
    assert _stored(ctxt, instance).task_state is None
    assert api.compute_rpcapi.sent == [] and _actions(ctxt, instance) == []


def test_a_backup_is_typed_and_rotated(api, ctxt, instance):
    image = api.backup(ctxt, instance, 'b', 'daily', 2)
    assert api.image_api.created[0]['properties']['backup_type'] == 'daily'
    assert api.compute_rpcapi.sent == [
        ('backup_instance', instance.uuid, image['id'], 'daily', 2)]


def test_console_output_needs_a_ready_server_and_a_live_host(api, ctxt, instance):
    assert api.get_console_output(ctxt, instance, 10) == 'answer of get_console_output'
    api.compute_rpcapi.fail = messaging.MessagingTimeout()
    with pytest.raises(exception.ComputeServiceUnavailable):
        api.get_console_output(ctxt, instance)
    api.host_up = False
    with pytest.raises(exception.ComputeServiceUnavailable):
        api.get_diagnostics(ctxt, instance)
    instance.vm_state = vm_states.BUILDING
    with pytest.raises(exception.InstanceNotReady):
        api.get_console_output(ctxt, instance)
    instance.vm_state, instance.host = vm_states.ACTIVE, None
    with pytest.raises(exception.InstanceNotReady):
        api.get_instance_diagnostics(ctxt, instance)


def test_a_crash_dump_needs_a_running_guest(api, ctxt, instance):
    instance.power_state = power_state.SHUTDOWN
    with pytest.raises(exception.InstanceNotRunning):
        api.trigger_crash_dump(ctxt, instance)
    instance.power_state = power_state.RUNNING
    api.trigger_crash_dump(ctxt, instance)
    assert _actions(ctxt, instance) == ['trigger_crash_dump']


def test_reset_state_clears_the_task_but_not_for_an_unscheduled_server(api, ctxt, instance):
    instance.task_state = task_states.REBOOTING
    instance.save()
    api.reset_state(ctxt, instance, 'error')
    stored = _stored(ctxt, instance)
    assert (stored.vm_state, stored.task_state) == (vm_states.ERROR, None)
    pending = objects.Instance(uuid='00000000-0000-0000-0000-000000000001',
                               vm_state=vm_states.BUILDING)
    with pytest.raises(exception.InstanceInvalidState):
        api.reset_state(ctxt, pending, 'active')
    assert api.get_instance_actions(ctxt, pending) == []
    with pytest.raises(exception.InstanceActionNotFound):
        api.get_instance_action(ctxt, pending, 'req-1')


@pytest.mark.parametrize('host_up', [True, False])
def test_soft_delete_and_restore_with_the_host_up_or_down(api, ctxt, instance, host_up):
    api.host_up = host_up
    api.soft_delete(ctxt, instance)
    stored = _stored(ctxt, instance)
    assert api.queued_for_delete == [True]
    if host_up:
        assert stored.task_state == task_states.SOFT_DELETING
        assert api.compute_rpcapi.sent == [('soft_delete_instance', instance.uuid)]
        stored.vm_state, stored.task_state = vm_states.SOFT_DELETED, None
        stored.save()
    else:
        # Nobody would finish it: the API does.
        assert (stored.vm_state, stored.task_state) == (vm_states.SOFT_DELETED, None)
        assert api.compute_rpcapi.sent == []
    api.restore(ctxt, stored)
    stored = _stored(ctxt, instance)
    assert api.queued_for_delete == [True, False] and stored.deleted_at is None
    if host_up:
        assert stored.task_state == task_states.RESTORING
    else:
        assert (stored.vm_state, stored.task_state) == (vm_states.ACTIVE, None)


def test_soft_delete_needs_a_launched_server_on_a_host(api, ctxt, instance):
    instance.launched_at = None
    with pytest.raises(exception.InstanceInvalidState):
        api.soft_delete(ctxt, instance)
    assert api.queued_for_delete == []


def test_the_action_log_of_a_server(api, ctxt, instance):
    api.pause(ctxt, instance)
    [action] = api.get_instance_actions(ctxt, instance)
    found, events = api.get_instance_action(ctxt, instance, action.request_id)
    assert found.action == 'pause' and list(events) == []
    with pytest.raises(exception.InstanceActionNotFound):
        api.get_instance_action(ctxt, instance, 'req-unknown')


def test_lock_owner_rules():
    inst = objects.Instance(project_id='p', locked=True, locked_by='owner')
    owner = nova_context.RequestContext('u', 'p')
    admin = nova_context.RequestContext('a', 'admin-project', is_admin=True)
    assert api_actions.ActionsAPIMixin.is_expected_locked_by(owner, inst)
    assert not api_actions.ActionsAPIMixin.is_expected_locked_by(admin, inst)
    inst.locked_by = 'admin'
    assert not api_actions.ActionsAPIMixin.is_expected_locked_by(owner, inst)


def test_hard_reboot_may_interrupt_a_soft_one_but_soft_may_not():
    assert task_states.REBOOTING in api_actions.ALLOW_HARD_REBOOT_TASKS
    assert vm_states.STOPPED in api_actions.ALLOW_HARD_REBOOT
    assert api_actions.ALLOW_SOFT_REBOOT == (vm_states.ACTIVE,)
