"""``/os-instance_usage_audit_log``: how the periodic instance usage audit went.

Each compute host writes a task log per audit period (``[DEFAULT]
instance_usage_audit_period``); this reports the last completed period, or
the one completed before a given time: which compute hosts finished, which
are still running, which never ran, with their instance and error counts.
A cloud whose audit never ran answers the same shape with every compute
host "not run" and zero counts.
"""

import datetime

import webob.exc

from nova.compute import api as compute_api
from nova.api.openstack import wsgi
from nova import audit_period

TASK_NAME = audit_period.TASK_NAME
_TIMESTAMP_FORMATS = ('%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S')


def last_completed_period(before=None):
    """(beginning, ending) of the last audit period that ended before ``before`` (now)."""
    return audit_period.last_completed(before)


def _parse_timestamp(value):
    for fmt in _TIMESTAMP_FORMATS if '.' in value else _TIMESTAMP_FORMATS[1:]:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            pass
    raise webob.exc.HTTPBadRequest(explanation='Invalid timestamp for date %s' % value)


class InstanceUsageAuditLogController(wsgi.Controller):

    def __init__(self):
        super().__init__()
        self.host_api = compute_api.HostAPI()

    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-instance-usage-audit-log:list', target={})
        return {'instance_usage_audit_logs': self._report(context)}

    @wsgi.expected_errors(400)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-instance-usage-audit-log:show', target={})
        before = _parse_timestamp(id)
        return {'instance_usage_audit_log': self._report(context, before)}

    def _report(self, context, before=None):
        beginning, ending = last_completed_period(before)
        task_logs = self.host_api.task_log_get_all(context, TASK_NAME, beginning, ending)
        hosts = {service.host for service in self.host_api.service_get_all(context)
                 if service.binary == 'nova-compute'}
        log = {}
        done, running = set(), set()
        total_errors = total_instances = 0
        for entry in task_logs:
            if entry.state == 'DONE':
                done.add(entry.host)
            elif entry.state == 'RUNNING':
                running.add(entry.host)
            total_errors += entry.errors or 0
            total_instances += entry.task_items or 0
            log[entry.host] = {'state': entry.state, 'instances': entry.task_items or 0,
                               'errors': entry.errors or 0, 'message': entry.message}
        not_run = sorted(hosts - set(log))
        done_part = 'ALL' if len(done) == len(hosts) else '%d of %d' % (len(done), len(hosts))
        return {
            'period_beginning': str(beginning),
            'period_ending': str(ending),
            'num_hosts': len(hosts),
            'num_hosts_done': len(done),
            'num_hosts_running': len(running),
            'num_hosts_not_run': len(not_run),
            'hosts_not_run': not_run,
            'total_instances': total_instances,
            'total_errors': total_errors,
            'overall_status': '%s hosts done. %d errors.' % (done_part, total_errors),
            'log': log,
        }
