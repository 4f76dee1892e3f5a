"""Bookkeeping calls to conductor that a lost reply must not turn into a failure.

A call whose reply is lost (``MessagingTimeout``) may still have done its
work in conductor. Where that work is idempotent, or its effect can be read
back, the call is simply made again; the operation it records is not
undone because a reply went missing.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)

ATTEMPTS = 4


def retried(what, call, *args, **kwargs):
    """``call(*args, **kwargs)``, made again (up to ``ATTEMPTS``) while replies are lost."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call(*args, **kwargs)
        except messaging.MessagingTimeout as exc:
            if attempt == ATTEMPTS:
                raise
            LOG.warning('No reply to %(what)s (attempt %(n)d of %(max)d), trying again: '
                        '%(err)s', {'what': what, 'n': attempt, 'max': ATTEMPTS,
                                    'err': exc})


def best_effort(what, call, *args, **kwargs):
    """Like ``retried``, but a record that still cannot be written is only logged:
    replies lost every time, the broker refusing the message (a vhost whose
    permissions are gone: ``MessageDeliveryFailure``, raised at once) or
    conductor failing it (``RemoteError``). The work it records stands."""
    try:
        return retried(what, call, *args, **kwargs)
    except messaging.MessagingException as exc:
        LOG.error('Gave up on %(what)s: %(err)s', {'what': what, 'err': exc})
        return None


def _already_active(current, host):
    return (current.vm_state == vm_states.ACTIVE and current.task_state is None
            and current.host == host)


def _already_claimed(current, host):
    return (current.vm_state == vm_states.BUILDING
            and current.task_state == task_states.SPAWNING and current.host == host)


def _save(context, instance, host, expected_task_state, landed, what,
          expected_vm_state=None):
    """Save ``instance``; on a lost reply, again. A retry that finds the state
    already moved on reads the row back: if ``landed(row, host)``, the lost
    attempt had done it. Anything else (the user deleted it meanwhile, or
    conductor ended the build) raises as a plain save does."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            instance.save(expected_task_state=expected_task_state,
                          expected_vm_state=expected_vm_state)
            return
        except (exception.UnexpectedTaskStateError, exception.UnexpectedVMStateError):
            if attempt > 1:
                current = retried('reading back instance %s' % instance.uuid,
                                  objects.Instance.get_by_uuid, context, instance.uuid,
                                  expected_attrs=[])
                if landed(current, host):
                    LOG.info('The %s of instance %s had landed; its reply was lost',
                             what, instance.uuid)
                    instance.obj_reset_changes()
                    return
            raise
        except messaging.MessagingTimeout as exc:
            if attempt == ATTEMPTS:
                raise
            LOG.warning('No reply to the %(what)s of instance %(uuid)s (attempt %(n)d of '
                        '%(max)d), trying again: %(err)s',
                        {'what': what, 'uuid': instance.uuid, 'n': attempt,
                         'max': ATTEMPTS, 'err': exc})


def _already_unshelving(current, host):
    return (current.vm_state == vm_states.SHELVED_OFFLOADED
            and current.task_state == task_states.SPAWNING and current.host == host)


def save_unshelving(context, instance, host):
    """Save an offloaded instance this host took for its unshelve (UNSHELVING ->
    SPAWNING), surviving lost replies."""
    _save(context, instance, host, task_states.UNSHELVING, _already_unshelving,
          'unshelve claim')


def save_claimed(context, instance, host):
    """Save an instance this host took for its build (into SPAWNING), surviving
    lost replies: a lost reply before the spawn does not fail the build.

    Only a record still BUILDING is taken: one conductor has ended meanwhile
    (its build timeout passed: ERROR, no task, its allocation freed) stays
    ended, and the host gives the build up (UnexpectedVMStateError)."""
    _save(context, instance, host, (task_states.SCHEDULING, None), _already_claimed,
          'claim', expected_vm_state=vm_states.BUILDING)


def save_spawned(context, instance, host):
    """Save a spawned instance ACTIVE (from SPAWNING), surviving lost replies:
    a lost reply after the spawn does not undo the build (or the unshelve)."""
    _save(context, instance, host, task_states.SPAWNING, _already_active, 'save as spawned')
