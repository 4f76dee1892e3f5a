"""A running daemon: an RPC server around a manager, a service record with
heartbeats, periodic tasks, and a clean stop on SIGTERM.

Native threads throughout: the RPC server uses oslo.messaging's threading
executor, heartbeats and periodic tasks each get one thread.
"""

import os
import random
import signal
import sys
import threading

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import importutils

import nova.conf
from nova import context
from nova import exception
from nova.notifications import base as notifications
from nova import objects
from nova.objects import service as service_obj
from nova import rpc
from nova import servicegroup
from nova import version

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# binary -> (manager class path, RPC topic)
SERVICE_MANAGERS = {
    'nova-compute': ('nova.compute.manager.ComputeManager', 'compute'),
    'nova-conductor': ('nova.conductor.manager.ConductorManager', 'conductor'),
    'nova-scheduler': ('nova.scheduler.manager.SchedulerManager', 'scheduler'),
}


class Service(object):
    """One daemon's RPC service."""

    def __init__(self, host, binary, topic, manager, report_interval=None,
                 periodic_enable=None, periodic_fuzzy_delay=None,
                 periodic_interval_max=None):
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager_class_name = manager
        self.servicegroup_api = servicegroup.API()
        manager_class = importutils.import_class(self.manager_class_name)
        self.manager = manager_class(host=self.host)
        self.report_interval = report_interval
        self.periodic_enable = periodic_enable
        self.periodic_fuzzy_delay = periodic_fuzzy_delay
        self.periodic_interval_max = periodic_interval_max
        self.service_ref = None
        self.rpcserver = None
        self._heartbeat = None
        self._stop_event = threading.Event()
        self._periodic_thread = None

    def __repr__(self):
        return "<%s: host=%s, binary=%s, manager_class_name=%s>" % (
            self.__class__.__name__, self.host, self.binary, self.manager_class_name)

    @classmethod
    def create(cls, host=None, binary=None, topic=None, manager=None,
               report_interval=None, periodic_enable=None,
               periodic_fuzzy_delay=None, periodic_interval_max=None):
        binary = binary or os.path.basename(sys.argv[0])
        default_manager, default_topic = SERVICE_MANAGERS.get(binary, (None, None))
        return cls(host or CONF.host, binary, topic or default_topic,
                   manager or default_manager,
                   report_interval=CONF.report_interval if report_interval is None
                   else report_interval,
                   periodic_enable=CONF.periodic_enable if periodic_enable is None
                   else periodic_enable,
                   periodic_fuzzy_delay=CONF.periodic_fuzzy_delay
                   if periodic_fuzzy_delay is None else periodic_fuzzy_delay,
                   periodic_interval_max=periodic_interval_max)

    def _ensure_service_record(self, ctxt):
        ref = objects.Service.get_by_host_and_binary(ctxt, self.host, self.binary)
        if ref is None:
            ref = objects.Service(ctxt)
            ref.host = self.host
            ref.binary = self.binary
            ref.topic = self.topic
            ref.report_count = 0
            ref.create()
            LOG.info('Created service record for %s on %s', self.binary, self.host)
            return ref
        if ref.version != service_obj.SERVICE_VERSION:
            if ref.version > service_obj.SERVICE_VERSION:
                raise exception.ServiceTooOld(thisver=service_obj.SERVICE_VERSION,
                                              minver=ref.version)
            ref.version = service_obj.SERVICE_VERSION
            ref.save()
        return ref

    def start(self):
        """Bring the service up; returns once it consumes RPC."""
        LOG.info('Starting %(topic)s node (version %(version)s)',
                 {'topic': self.topic, 'version': version.version_string()})
        notifications.install()
        self.manager.init_host()
        ctxt = context.get_admin_context()
        self.service_ref = self._ensure_service_record(ctxt)
        self.manager.pre_start_hook(service_ref=self.service_ref)

        target = messaging.Target(topic=self.topic, server=self.host)
        endpoints = [self.manager, _BaseRPCEndpoint(self.binary)]
        endpoints.extend(getattr(self.manager, 'additional_endpoints', []))
        self.rpcserver = rpc.get_server(target, endpoints)
        self.rpcserver.start()

        self.manager.post_start_hook()
        LOG.info('%(binary)s on %(host)s is consuming RPC topic %(topic)s',
                 {'binary': self.binary, 'host': self.host, 'topic': self.topic})
        LOG.debug('Join ServiceGroup membership for this service %s', self.topic)
        self._heartbeat = self.servicegroup_api.join(self.host, self.topic, self)
        if self.periodic_enable:
            self._periodic_thread = threading.Thread(target=self._run_periodic_tasks,
                                                     name='periodic-tasks', daemon=True)
            self._periodic_thread.start()

    def _run_periodic_tasks(self):
        if self.periodic_fuzzy_delay:
            # Spread services started together so they do not hit the DB in step.
            if self._stop_event.wait(random.randint(0, self.periodic_fuzzy_delay)):
                return
        ctxt = context.get_admin_context()
        interval_max = self.periodic_interval_max or 60
        while not self._stop_event.is_set():
            try:
                idle = self.manager.periodic_tasks(ctxt, raise_on_error=False)
            except Exception:
                LOG.exception('Periodic task run failed')
                idle = interval_max
            wait = interval_max if idle is None else min(idle, interval_max)
            self._stop_event.wait(max(wait, 0.1))

    def stop(self):
        """Stop consuming, finish in-flight requests, then stop the side threads."""
        self._stop_event.set()
        if self.rpcserver is not None:
            try:
                self.rpcserver.stop()
                self.rpcserver.wait()
            except Exception as exc:
                LOG.warning('Error stopping the RPC server: %s', exc)
        if self._heartbeat is not None:
            self._heartbeat.stop()
        try:
            self.manager.cleanup_host()
        except Exception:
            LOG.exception('Service error occurred during cleanup_host')

    def reset(self):
        self.manager.reset()


class _BaseRPCEndpoint(object):
    """Endpoint every service answers on: a liveness ping."""

    target = messaging.Target(namespace='baseapi', version='1.1')

    def __init__(self, binary):
        self.binary = binary

    def ping(self, context, arg):
        return {'service': self.binary, 'arg': arg}

    def get_backdoor_port(self, context):
        return None


class Launcher(object):
    """Runs services until SIGTERM/SIGINT, then stops them gracefully."""

    def __init__(self):
        self.services = []
        self._stopped = threading.Event()
        self._starting = False

    @property
    def stop_requested(self):
        return self._stopped

    def launch_service(self, service):
        self._starting = True
        try:
            service.start()
        finally:
            self._starting = False
        self.services.append(service)

    def _handle_signal(self, signum, frame):
        LOG.info('Caught %s, stopping', signal.Signals(signum).name)
        self._stopped.set()
        if self._starting:
            # Start-up may be blocked retrying the broker or the database;
            # nothing is serving yet, so leave at once instead of waiting.
            for service in self.services:
                service.stop()
            raise SystemExit(0)

    def _handle_sighup(self, signum, frame):
        LOG.info('Caught SIGHUP, reloading configuration')
        CONF.mutate_config_files()
        for service in self.services:
            service.reset()

    def install_signal_handlers(self):
        signal.signal(signal.SIGTERM, self._handle_signal)
        signal.signal(signal.SIGINT, self._handle_signal)
        signal.signal(signal.SIGHUP, self._handle_sighup)

    def wait(self):
        while not self._stopped.wait(1):
            pass
        self.stop()

    def stop(self):
        for service in reversed(self.services):
            service.stop()
        rpc.cleanup()
        LOG.info('Stopped')


def serve(server):
    """Start ``server`` and block until a stop signal arrives."""
    launcher = Launcher()
    launcher.install_signal_handlers()
    try:
        launcher.launch_service(server)
    except Exception:
        launcher.stop()
        raise
    launcher.wait()
