"""Base class for the managers that services expose as RPC endpoints.

A manager holds one service's business logic; the Service wrapper gives it an
RPC server, a service record with heartbeats, and periodic tasks.
"""

from oslo_log import log as logging
from oslo_service import periodic_task

import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

periodic_task_decorator = periodic_task.periodic_task


class Manager(periodic_task.PeriodicTasks):
    # Subclasses set ``target`` (an oslo_messaging.Target with the RPC version).
    target = None
    service_name = None

    def __init__(self, host=None, service_name='undefined'):
        if not host:
            host = CONF.host
        self.host = host
        self.backdoor_port = None
        self.service_name = service_name
        super().__init__(CONF)
        self._add_mixin_periodic_tasks()

    def _add_mixin_periodic_tasks(self):
        """oslo collects the decorated methods of PeriodicTasks subclasses only; a
        manager built from operation mixins gets theirs added here, once."""
        tasks = list(self._periodic_tasks)
        spacing = dict(self._periodic_spacing)
        known = {name for name, _task in tasks}
        for klass in type(self).__mro__:
            for value in vars(klass).values():
                name = getattr(value, '_periodic_name', None)
                if (getattr(value, '_periodic_task', False) and name not in known
                        # oslo leaves out disabled tasks and negative spacings too
                        and value._periodic_enabled and (value._periodic_spacing or 0) >= 0):
                    known.add(name)
                    tasks.append((name, value))
                    spacing[name] = value._periodic_spacing or 60
                    self._periodic_last_run[name] = value._periodic_last_run
        self._periodic_tasks = tasks
        self._periodic_spacing = spacing

    def periodic_tasks(self, context, raise_on_error=False):
        """Run due periodic tasks; return seconds until the next one is due."""
        return self.run_periodic_tasks(context, raise_on_error=raise_on_error)

    def set_periodic_spacing(self, name, interval):
        """Space task ``name`` by an option read now (decorators run at import).

        A negative interval removes the task; 0 keeps oslo's default spacing.
        """
        if interval is None:
            return
        if interval < 0:
            self._periodic_tasks = [t for t in self._periodic_tasks if t[0] != name]
            self._periodic_spacing.pop(name, None)
        elif interval:
            self._periodic_spacing = dict(self._periodic_spacing, **{name: interval})

    def init_host(self, service_ref=None):
        """Hook run before the RPC server starts."""

    def cleanup_host(self):
        """Hook run when the service stops."""

    def pre_start_hook(self, service_ref=None):
        """Hook run after init_host, before consuming RPC."""

    def post_start_hook(self):
        """Hook run once the RPC server is consuming."""

    def reset(self):
        """Hook for SIGHUP: drop caches built from configuration."""
