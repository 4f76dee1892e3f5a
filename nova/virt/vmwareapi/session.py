"""The vCenter connection of one nova-compute: login, retries, tasks, properties.

Everything the driver asks of vCenter goes through ``Session.invoke`` (a
method of a managed object), ``Session.props`` (properties read through the
PropertyCollector) or ``Session.wait_for_task``. Each retries a call that
failed on the connection or on an expired login, ``[vmware] api_retry_count``
times, logging in again between attempts; what still fails is raised as
VimConnectionError. A task that vCenter ran and that failed raises
VimTaskError carrying the fault's name and vCenter's message.

Managed objects are passed around as pyVmomi stubs but are re-bound to the
current connection on every call, so a reconnect never leaves a caller
holding objects of a dead session.
"""

import http.client
import socket
import ssl
import threading
import time

from oslo_log import log as logging

import nova.conf

try:
    from pyVmomi import SoapStubAdapter
    from pyVmomi import vim
    from pyVmomi import vmodl
except ImportError:  # the driver refuses to load without it; the module still imports
    SoapStubAdapter = vim = vmodl = None

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Seconds slept before retry n are min(RETRY_STEP * n, RETRY_MAX).
RETRY_STEP = 2.0
RETRY_MAX = 60.0
CONNECT_TIMEOUT = 30


class VimError(Exception):
    """Base of the errors this module raises."""


class VimConnectionError(VimError):
    """vCenter could not be reached (or logged in to) after every retry."""


class VimTaskError(VimError):
    """A vCenter task ended in error: ``fault_name`` and vCenter's ``message``."""

    def __init__(self, task_name, fault_name, message):
        self.task_name = task_name
        self.fault_name = fault_name
        self.message = message
        super().__init__('vCenter task %s failed: %s: %s' % (task_name, fault_name, message))


class VimFaultError(VimError):
    """A call vCenter answered with a fault (not a connection problem)."""

    def __init__(self, method, fault):
        self.method = method
        self.fault = fault
        self.fault_name, self.message = fault_of(fault)
        super().__init__('vCenter call %s failed: %s: %s' % (method, self.fault_name,
                                                              self.message))


def _is_connection_error(exc):
    if isinstance(exc, (OSError, http.client.HTTPException, ssl.SSLError, socket.timeout)):
        return True
    return vim is not None and isinstance(exc, vim.fault.NotAuthenticated)


def fault_of(error):
    """(fault name, message) of a method fault (pyVmomi gives a task's error as the
    fault itself, its localized message in ``msg``)."""
    fault = getattr(error, 'fault', None) or error
    name = getattr(fault, '_wsdlName', None) or type(fault).__name__.split('.')[-1]
    message = (getattr(error, 'localizedMessage', None) or getattr(fault, 'msg', None) or
               getattr(fault, 'reason', None) or name)
    return name, message


class Session(object):
    """One logged-in connection to vCenter, re-established when it breaks.

    ``on_state_change(connected, reason)`` is called when the connection is
    lost after every retry, and when it works again.
    """

    def __init__(self, host=None, port=None, username=None, password=None,
                 retry_count=None, poll_interval=None, on_state_change=None):
        if vim is None:
            raise ImportError('pyvmomi is required by the VMware driver')
        self.host = host or CONF.vmware.host_ip
        self.port = port or CONF.vmware.host_port
        self.username = username if username is not None else CONF.vmware.host_username
        self.password = password if password is not None else CONF.vmware.host_password
        self.retry_count = (CONF.vmware.api_retry_count if retry_count is None
                            else retry_count)
        self.poll_interval = (CONF.vmware.task_poll_interval if poll_interval is None
                              else poll_interval)
        self._on_state_change = on_state_change
        self._lock = threading.RLock()
        self._stub = None
        self._content = None
        self.connected = None  # unknown until the first attempt

    # --- connection ------------------------------------------------------------
    def ssl_context(self):
        """``ca_file`` if set, else system CAs; ``insecure`` skips verification."""
        if CONF.vmware.ca_file:
            return ssl.create_default_context(cafile=CONF.vmware.ca_file)
        if CONF.vmware.insecure:
            return ssl._create_unverified_context()
        return ssl.create_default_context()

    def _login(self):
        stub = SoapStubAdapter(host=self.host, port=self.port, path='/sdk',
                               version='vim.version.version10',
                               sslContext=self.ssl_context(),
                               connectionPoolTimeout=CONNECT_TIMEOUT,
                               poolSize=CONF.vmware.connection_pool_size)
        instance = vim.ServiceInstance('ServiceInstance', stub)
        content = instance.RetrieveContent()
        content.sessionManager.Login(self.username, self.password, None)
        LOG.info('Logged in to vCenter %s:%s (%s)', self.host, self.port,
                 content.about.fullName)
        return stub, content

    def _connection(self):
        with self._lock:
            if self._stub is None:
                self._stub, self._content = self._login()
            return self._stub, self._content

    def _drop(self):
        with self._lock:
            self._stub = self._content = None

    def _set_connected(self, connected, reason=None):
        changed = self.connected is not connected
        self.connected = connected
        if changed and self._on_state_change is not None:
            try:
                self._on_state_change(connected, reason)
            except Exception:
                LOG.exception('vCenter connection state handler failed')

    def _retrying(self, what, fn):
        """Run ``fn(stub, content)``; reconnect and retry on connection errors."""
        attempts = max(1, self.retry_count)
        last = None
        for attempt in range(1, attempts + 1):
            try:
                stub, content = self._connection()
                result = fn(stub, content)
            except Exception as exc:
                if not _is_connection_error(exc):
                    raise
                last = exc
                self._drop()
                if attempt == attempts:
                    break
                delay = min(RETRY_STEP * attempt, RETRY_MAX)
                LOG.warning('vCenter %s:%s: %s failed (%s: %s); retry %d of %d in %.0fs',
                            self.host, self.port, what, type(exc).__name__, exc,
                            attempt, attempts - 1, delay)
                time.sleep(delay)
                continue
            self._set_connected(True)
            return result
        reason = 'vCenter %s:%s unreachable: %s: %s' % (self.host, self.port,
                                                         type(last).__name__, last)
        self._set_connected(False, reason)
        raise VimConnectionError(reason) from last

    def check(self):
        """Log in now if not logged in (raises VimConnectionError when that fails)."""
        self._retrying('login', lambda stub, content: None)

    @property
    def content(self):
        return self._retrying('RetrieveServiceContent', lambda stub, content: content)

    def logout(self):
        with self._lock:
            content = self._content
            self._stub = self._content = None
        if content is not None:
            try:
                content.sessionManager.Logout()
            except Exception as exc:
                LOG.debug('vCenter logout failed: %s', exc)

    # --- calls -------------------------------------------------------------------
    @staticmethod
    def bind(mo, stub):
        """``mo`` as an object of the connection ``stub``."""
        return type(mo)(mo._moId, stub)

    def invoke(self, mo, method, *args, **kwargs):
        """Call ``mo.method(*args, **kwargs)`` on the current connection."""
        def call(stub, content):
            try:
                return getattr(self.bind(mo, stub), method)(*args, **kwargs)
            except vmodl.MethodFault as fault:
                if isinstance(fault, vim.fault.NotAuthenticated):
                    raise
                raise VimFaultError(method, fault) from fault
        return self._retrying(method, call)

    def service(self, name):
        """A service-content manager (``'fileManager'``, ``'searchIndex'``, ...)."""
        return self._retrying(name, lambda stub, content: getattr(content, name))

    def props(self, mo, paths):
        """{path: value} of ``mo``'s properties ``paths`` (missing ones left out)."""
        return self.props_of([mo], paths).get(mo._moId, {})

    def props_of(self, mos, paths):
        """{moId: {path: value}} for several objects of one type."""
        if not mos:
            return {}

        def read(stub, content):
            spec = vmodl.query.PropertyCollector.FilterSpec(
                objectSet=[vmodl.query.PropertyCollector.ObjectSpec(obj=self.bind(m, stub))
                           for m in mos],
                propSet=[vmodl.query.PropertyCollector.PropertySpec(
                    type=type(mos[0]), pathSet=list(paths))])
            collector = content.propertyCollector
            try:
                result = collector.RetrievePropertiesEx(
                    [spec], vmodl.query.PropertyCollector.RetrieveOptions(
                        maxObjects=CONF.vmware.maximum_objects))
            except vmodl.fault.ManagedObjectNotFound as fault:
                raise VimFaultError('RetrievePropertiesEx', fault) from fault
            found = {}
            while result is not None:
                for obj in result.objects:
                    found[obj.obj._moId] = {p.name: p.val for p in obj.propSet}
                if not result.token:
                    break
                result = collector.ContinueRetrievePropertiesEx(result.token)
            return found
        return self._retrying('RetrievePropertiesEx', read)

    def wait_for_task(self, task, name=None):
        """Poll ``task`` every ``task_poll_interval`` s; its result, or VimTaskError."""
        name = name or task._moId
        # Only these fields: some servers put objects pyVmomi refuses in info.entity.
        paths = ['info.state', 'info.error', 'info.result', 'info.descriptionId']
        while True:
            info = self.props(task, paths)
            state = info.get('info.state')
            if state == 'success':
                LOG.debug('vCenter task %s (%s) succeeded', task._moId, name)
                return info.get('info.result')
            if state == 'error':
                fault_name, message = fault_of(info.get('info.error'))
                raise VimTaskError(info.get('info.descriptionId') or name, fault_name,
                                   message)
            time.sleep(self.poll_interval)

    def run_task(self, mo, method, *args, **kwargs):
        """invoke() a ``*_Task`` method and wait for it."""
        task = self.invoke(mo, method, *args, **kwargs)
        return self.wait_for_task(task, method)
