"""Events a virt driver waits for, delivered by os-server-external-events.

A driver about to start a guest registers the events it expects (for
example ``network-vif-plugged`` for each port Neutron has not reported up
yet) before acting, then waits for them with a deadline; the compute
manager's ``external_instance_event`` hands each event that arrives to its
waiter. Registering first means an event that comes back quickly is not
lost.
"""

import contextlib
import threading
import time

from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)


class _Waiter(object):
    def __init__(self):
        self._done = threading.Event()
        self.event = None

    def set(self, event):
        self.event = event
        self._done.set()

    def wait(self, timeout):
        return self._done.wait(timeout)


class InstanceEvents(object):
    """Waiters by instance uuid and event key (``name-tag``)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiters = {}

    @staticmethod
    def key(name, tag=None):
        return '%s-%s' % (name, tag) if tag else name

    def prepare(self, instance_uuid, name, tag=None):
        waiter = _Waiter()
        with self._lock:
            self._waiters.setdefault(instance_uuid, {})[self.key(name, tag)] = waiter
        return waiter

    def pop(self, instance_uuid, key):
        with self._lock:
            waiters = self._waiters.get(instance_uuid) or {}
            waiter = waiters.pop(key, None)
            if not waiters:
                self._waiters.pop(instance_uuid, None)
        return waiter

    def deliver(self, event):
        """Hand an arrived event to its waiter; False if nobody waits for it."""
        waiter = self.pop(event.instance_uuid, event.key)
        if waiter is None:
            return False
        waiter.set(event)
        return True

    def clear(self, instance_uuid):
        with self._lock:
            self._waiters.pop(instance_uuid, None)

    @contextlib.contextmanager
    def wait_for(self, instance, events, deadline=300, error_callback=None):
        """Register ``events`` ([(name, tag)]), run the body, then wait for all.

        Raises InstanceEventTimeout when they have not all come within
        ``deadline`` seconds of the body's end; an event with status
        ``failed`` goes to ``error_callback(name, instance)`` (which may raise).
        """
        waiters = [(name, tag, self.prepare(instance.uuid, name, tag)) for name, tag in events]
        try:
            yield
            if not waiters:
                return
            end = time.monotonic() + max(0, deadline or 0)
            for name, tag, waiter in waiters:
                if not waiter.wait(max(0.0, end - time.monotonic())):
                    raise exception.InstanceEventTimeout(
                        instance_uuid=instance.uuid, events=', '.join(
                            self.key(n, t) for n, t, w in waiters if w.event is None))
                if waiter.event.status == 'failed' and error_callback is not None:
                    error_callback(name, instance)
        finally:
            for name, tag, _waiter in waiters:
                self.pop(instance.uuid, self.key(name, tag))
