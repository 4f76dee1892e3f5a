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
    """Like ``retried``, but a record that still cannot be written is only logged."""
    try:
        return retried(what, call, *args, **kwargs)
    except messaging.MessagingTimeout as exc:
        LOG.error('Gave up on %(what)s: %(err)s', {'what': what, 'err': exc})
        return None


def _already_active(context, instance, host):
    current = objects.Instance.get_by_uuid(context, instance.uuid, expected_attrs=[])
    return (current.vm_state == vm_states.ACTIVE and current.task_state is None
            and current.host == host)


def save_spawned(context, instance, host):
    """Save a spawned instance ACTIVE (from SPAWNING), surviving lost replies.

    When an earlier attempt did land, the next one finds the task state
    already cleared: read back, an ACTIVE instance on this host means done.
    Anything else (the user deleted it meanwhile) raises as a plain save does.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            instance.save(expected_task_state=task_states.SPAWNING)
            return
        except exception.UnexpectedTaskStateError:
            if attempt > 1 and retried('reading back instance %s' % instance.uuid,
                                       _already_active, context, instance, host):
                LOG.info('The save of spawned instance %s had landed; its reply was lost',
                         instance.uuid)
                instance.obj_reset_changes()
                return
            raise
        except messaging.MessagingTimeout as exc:
            if attempt == ATTEMPTS:
                raise
            LOG.warning('No reply to the save of spawned instance %(uuid)s (attempt %(n)d '
                        'of %(max)d), trying again: %(err)s',
                        {'uuid': instance.uuid, 'n': attempt, 'max': ATTEMPTS, 'err': exc})
