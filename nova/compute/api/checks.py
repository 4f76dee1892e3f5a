"""The checks the compute API makes before it changes a server: its lock and its state.

A locked server refuses changes but from an administrator (InstanceIsLocked,
a 409); a server outside the states an operation allows refuses it
(InstanceInvalidState, a 409). The functions serve code that checks in its
middle, the decorators the API methods that check first.
"""

import functools

from nova import exception


def launched(instance):
    return instance.obj_attr_is_set('launched_at') and instance.launched_at is not None


def check_lock(context, instance):
    """A locked server can only be changed by an administrator."""
    if instance.locked and not context.is_admin:
        raise exception.InstanceIsLocked(instance_uuid=instance.uuid)


def check_state(instance, method, vm_state=None, task_state=(None,), must_have_launched=False):
    """InstanceInvalidState unless the server is in one of the allowed states.

    ``None`` allows any vm_state or task_state; the default task state is
    "none under way".
    """
    if vm_state is not None and instance.vm_state not in vm_state:
        raise exception.InstanceInvalidState(
            attr='vm_state', instance_uuid=instance.uuid,
            state=instance.vm_state, method=method)
    if task_state is not None and instance.task_state not in task_state:
        raise exception.InstanceInvalidState(
            attr='task_state', instance_uuid=instance.uuid,
            state=instance.task_state, method=method)
    if must_have_launched and not launched(instance):
        raise exception.InstanceInvalidState(
            attr='launched_at', instance_uuid=instance.uuid,
            state=None, method=method)


def require_host(instance, method):
    """InstanceInvalidState for a server that has no host to act on it."""
    if not instance.host:
        raise exception.InstanceInvalidState(
            attr='host', instance_uuid=instance.uuid, state=None, method=method)


def check_instance_state(vm_state=None, task_state=(None,), must_have_launched=True):
    """Decorator: ``check_state`` with the method's name before it runs."""
    def decorator(func):
        @functools.wraps(func)
        def wrapped(self, context, instance, *args, **kwargs):
            check_state(instance, func.__name__, vm_state, task_state, must_have_launched)
            return func(self, context, instance, *args, **kwargs)
        return wrapped
    return decorator


def check_instance_lock(func):
    """Decorator: ``check_lock`` before the method runs."""
    @functools.wraps(func)
    def wrapped(self, context, instance, *args, **kwargs):
        check_lock(context, instance)
        return func(self, context, instance, *args, **kwargs)
    return wrapped
