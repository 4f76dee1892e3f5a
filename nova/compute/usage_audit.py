"""The instance usage audit: one instance.exists per instance and audit period.

With ``[DEFAULT] instance_usage_audit`` on, each nova-compute reports, once
per completed ``instance_usage_audit_period``, every instance that ran on
its host during that period (deleted ones included), so a billing system
can charge for usage it missed no notification of. A task log row in the
cell database marks the period as taken (RUNNING) and then finished (DONE,
with the instance and error counts) for ``/os-instance_usage_audit_log``;
a host that finds its row already there leaves that period alone.
"""

import time

from oslo_log import log as logging

from nova import audit_period
from nova.compute import utils as compute_utils
import nova.conf
from nova import exception
from nova import manager
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# What the notification payloads read; loaded with the instances in one query.
_EXPECTED_ATTRS = ['system_metadata', 'info_cache', 'metadata', 'flavor']


class UsageAuditOperations(object):
    """The ``_instance_usage_audit`` periodic task of the compute manager."""

    @manager.periodic_task_decorator
    def _instance_usage_audit(self, context):
        if not CONF.instance_usage_audit:
            return
        begin, end = audit_period.last_completed()
        if objects.TaskLogList.get_all(context, audit_period.TASK_NAME, begin, end,
                                       host=self.host):
            return
        instances = objects.InstanceList.get_active_by_window_joined(
            context, begin, end, host=self.host, expected_attrs=_EXPECTED_ATTRS)
        LOG.info('Running instance usage audit for host %(host)s from %(begin)s to '
                 '%(end)s: %(count)d instances.',
                 {'host': self.host, 'begin': begin, 'end': end, 'count': len(instances)})
        started = time.monotonic()
        task_log = objects.TaskLog(context, task_name=audit_period.TASK_NAME, host=self.host,
                                   period_beginning=begin, period_ending=end,
                                   task_items=len(instances),
                                   message='Instance usage audit started...')
        try:
            task_log.begin_task()
        except exception.TaskAlreadyRunning:
            # Another run of this host (a restarted service) took the period first.
            return
        errors = 0
        for instance in instances:
            try:
                compute_utils.notify_usage_exists(context, instance, self.host,
                                                  audit_period=(begin, end))
            except Exception:
                LOG.exception('Failed to generate usage audit for instance %s on host %s',
                              instance.uuid, self.host)
                errors += 1
        task_log.errors = errors
        task_log.message = ('Instance usage audit ran for host %s, %s instances in %s '
                            'seconds.' % (self.host, len(instances),
                                          time.monotonic() - started))
        task_log.end_task()
