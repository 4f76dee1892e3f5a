"""The compute API's state and lock checks refuse actions as upstream does."""

import datetime

import pytest

from nova.compute.api import checks
from nova.compute import task_states
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova import objects


class _Guarded(object):
    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=(vm_states.ACTIVE,))
    def act(self, context, instance):
        return 'done'

    @checks.check_instance_state(vm_state=None, task_state=None,
                                 must_have_launched=False)
    def anything(self, context, instance):
        return 'done'


def _instance(**values):
    objects.register_all()
    inst = objects.Instance(uuid='8b2e1a62-7e5e-4b34-9d8f-6a6bd8e3b7a1', locked=False,
                            vm_state=vm_states.ACTIVE, task_state=None,
                            launched_at=datetime.datetime(2026, 1, 1))
    for key, value in values.items():
        setattr(inst, key, value)
    return inst


def _user(is_admin=False):
    return nova_context.RequestContext('u', 'p', is_admin=is_admin)


def test_allowed_state_passes():
    assert _Guarded().act(_user(), _instance()) == 'done'


@pytest.mark.parametrize('values,attr', [
    ({'vm_state': vm_states.STOPPED}, 'vm_state'),
    ({'task_state': task_states.REBOOTING}, 'task_state'),
    ({'launched_at': None}, 'launched_at'),
])
def test_wrong_state_is_invalid_state_naming_the_attribute(values, attr):
    with pytest.raises(exception.InstanceInvalidState) as info:
        _Guarded().act(_user(), _instance(**values))
    assert info.value.kwargs['attr'] == attr
    assert info.value.kwargs['method'] == 'act'


def test_locked_refuses_users_but_not_admins():
    locked = _instance(locked=True)
    with pytest.raises(exception.InstanceIsLocked):
        _Guarded().act(_user(), locked)
    assert _Guarded().act(_user(is_admin=True), locked) == 'done'


def test_no_constraints_accept_any_state():
    inst = _instance(vm_state=vm_states.ERROR, task_state=task_states.DELETING,
                     launched_at=None)
    assert _Guarded().anything(_user(), inst) == 'done'
