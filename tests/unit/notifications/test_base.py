"""Notifications sent when a saved instance changes state, as notify_on_state_change
asks (the per-test databases and the in-memory notify driver)."""



from nova import objects
from tests.unit.notifications import records


def test_state_change_on_save_sends_instance_update(notifications, ctxt):
    from nova import conf
    from nova.notifications import base as notifications_base
    notifications_base.install()
    conf.CONF.set_override('notify_on_state_change', 'vm_and_task_state',
                           group='notifications')
    try:
        instance = objects.Instance(ctxt, uuid=records.UUID, user_id='fake', project_id='p',
                                    vm_state='building', task_state='scheduling',
                                    display_name='one', flavor=records.flavor(), metadata={},
                                    system_metadata={})
        instance.create()
        instance.task_state = 'spawning'
        instance.save()
        instance.metadata = {'a': 'b'}
        instance.save()
        instance.vm_state, instance.task_state = 'active', None
        instance.save()
        conf.CONF.set_override('notify_on_state_change', 'vm_state', group='notifications')
        instance.task_state = 'powering-off'
        instance.save()
    finally:
        conf.CONF.clear_override('notify_on_state_change', group='notifications')
    sent = notifications()
    updates = [n['payload']['nova_object.data']['state_update']['nova_object.data']
               for n in sent if n['event_type'] == 'instance.update']
    assert updates == [
        {'old_state': 'building', 'state': 'building', 'old_task_state': 'scheduling',
         'new_task_state': 'spawning'},
        {'old_state': 'building', 'state': 'active', 'old_task_state': 'spawning',
         'new_task_state': None}]
    assert sent[0]['payload']['nova_object.version'] == '2.1'
