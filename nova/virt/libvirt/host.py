"""The libvirt connection of one compute host.

Owns the ``virConnect`` (opened lazily, reopened when libvirtd drops it),
the native thread that runs libvirt's default event loop, and the
translation of domain lifecycle events into nova.virt.event objects handed
to the driver's ``emit_event``. Everything else asks this module for a
connection or a Guest.
"""

import queue
import threading
import time
from xml.etree import ElementTree as etree

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.virt import event as virtevent
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import guest as libvirt_guest

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# A guest that reboots emits Stopped then Started; the Stopped is held this
# long and dropped if a Started follows, so the compute manager does not
# stop a guest that was only rebooting.
STOPPED_EVENT_DELAY = 15.0

_URIS = {'kvm': 'qemu:///system', 'qemu': 'qemu:///system', 'lxc': 'lxc:///',
         'xen': 'xen:///', 'parallels': 'parallels:///system'}

_EVENT_LOOP_LOCK = threading.Lock()
_EVENT_LOOP_STARTED = False


def connection_uri():
    """``[libvirt] connection_uri``, or the usual URI for ``virt_type``."""
    return CONF.libvirt.connection_uri or _URIS.get(CONF.libvirt.virt_type,
                                                    'qemu:///system')


def _start_event_loop():
    """Register libvirt's default event implementation and run it in a native thread.

    Once per process: libvirt allows one registered implementation, and it
    must be registered before the connections that want events are opened.
    """
    global _EVENT_LOOP_STARTED
    with _EVENT_LOOP_LOCK:
        if _EVENT_LOOP_STARTED:
            return
        libvirt.virEventRegisterDefaultImpl()

        def run():
            while True:
                try:
                    libvirt.virEventRunDefaultImpl()
                except Exception:  # keep the loop alive whatever a callback did
                    LOG.exception('libvirt event loop iteration failed')
                    time.sleep(1)

        threading.Thread(target=run, name='libvirt-event-loop', daemon=True).start()
        _EVENT_LOOP_STARTED = True


def _lifecycle_transition(event, detail):
    """The nova transition for a libvirt lifecycle event, or None to ignore it."""
    if event in (libvirt.VIR_DOMAIN_EVENT_STOPPED, libvirt.VIR_DOMAIN_EVENT_SHUTDOWN):
        if event == libvirt.VIR_DOMAIN_EVENT_SHUTDOWN:
            return None  # the guest is going down; STOPPED follows when it is down
        return virtevent.EVENT_LIFECYCLE_STOPPED
    if event == libvirt.VIR_DOMAIN_EVENT_STARTED:
        return virtevent.EVENT_LIFECYCLE_STARTED
    if event == libvirt.VIR_DOMAIN_EVENT_SUSPENDED:
        postcopy = getattr(libvirt, 'VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY', None)
        migrated = libvirt.VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED
        if postcopy is not None and detail == postcopy:
            return virtevent.EVENT_LIFECYCLE_POSTCOPY_STARTED
        if detail == migrated:
            return virtevent.EVENT_LIFECYCLE_MIGRATION_COMPLETED
        return virtevent.EVENT_LIFECYCLE_PAUSED
    if event == libvirt.VIR_DOMAIN_EVENT_RESUMED:
        return virtevent.EVENT_LIFECYCLE_RESUMED
    if event == libvirt.VIR_DOMAIN_EVENT_PMSUSPENDED:
        return virtevent.EVENT_LIFECYCLE_SUSPENDED
    return None


class Host(object):
    """One libvirt connection plus its event plumbing."""

    def __init__(self, uri=None, lifecycle_event_handler=None,
                 stopped_event_delay=STOPPED_EVENT_DELAY):
        self._uri = uri
        self._conn = None
        self._conn_lock = threading.RLock()
        self._handler = lifecycle_event_handler
        self._events = queue.Queue()
        self._stopped_event_delay = stopped_event_delay
        self._pending_stops = {}  # uuid -> (due time, event)
        self._dispatcher = None
        self._closing = False
        self._caps = None
        self._cpu_features = None

    @property
    def uri(self):
        return self._uri or connection_uri()

    # --- connection ---------------------------------------------------------
    def initialize(self):
        """Start the event loop (when events are wanted) and open the connection."""
        if libvirt is None:
            raise exception.HypervisorUnavailable(host=self.uri)
        # libvirt prints every error to stderr by default; ours are raised and logged.
        libvirt.registerErrorHandler(lambda ctxt, err: None, None)
        if self._handler is not None:
            _start_event_loop()
            self._closing = False
            self._dispatcher = threading.Thread(target=self._dispatch_events,
                                                name='libvirt-event-dispatch', daemon=True)
            self._dispatcher.start()
        self.get_connection()

    def cleanup(self):
        """Close the connection and stop dispatching events."""
        self._closing = True
        self._events.put(None)
        with self._conn_lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                if self._handler is not None:
                    conn.domainEventDeregisterAny(self._callback_id)
                conn.close()
            except libvirt.libvirtError:
                pass

    def get_connection(self):
        """The open connection, (re)opening it when libvirtd dropped us."""
        with self._conn_lock:
            conn = self._conn
            if conn is not None:
                try:
                    if conn.isAlive():
                        return conn
                except libvirt.libvirtError:
                    pass
                LOG.warning('Connection to libvirt at %s was lost; reconnecting', self.uri)
                self._conn = None
            self._conn = self._connect()
            return self._conn

    def _connect(self):
        try:
            conn = libvirt.open(self.uri)
        except libvirt.libvirtError as exc:
            LOG.error('Cannot connect to libvirt at %s: %s', self.uri, exc)
            raise exception.HypervisorUnavailable(host=self.uri) from exc
        try:
            conn.registerCloseCallback(self._on_close, None)
        except libvirt.libvirtError:  # drivers without keepalive (test://)
            pass
        if self._handler is not None:
            self._callback_id = conn.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self._on_lifecycle, None)
        LOG.info('Connected to libvirt at %s', self.uri)
        return conn

    def _on_close(self, conn, reason, opaque):
        LOG.warning('libvirt closed the connection to %s (reason %s)', self.uri, reason)
        with self._conn_lock:
            if self._conn is conn:
                self._conn = None

    # --- events ---------------------------------------------------------------
    def _on_lifecycle(self, conn, dom, event, detail, opaque):
        """Runs in the libvirt event-loop thread: translate and queue, nothing more."""
        transition = _lifecycle_transition(event, detail)
        if transition is not None:
            self._events.put(virtevent.LifecycleEvent(dom.UUIDString(), transition))

    def _dispatch_events(self):
        while not self._closing:
            timeout = None
            if self._pending_stops:
                due = min(d for d, _ in self._pending_stops.values())
                timeout = max(0.0, due - time.monotonic())
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                event = None
            if event is not None:
                self._queue_or_emit(event)
            now = time.monotonic()
            for uuid, (due, stop) in list(self._pending_stops.items()):
                if due <= now:
                    del self._pending_stops[uuid]
                    self._emit(stop)

    def _queue_or_emit(self, event):
        if event.transition == virtevent.EVENT_LIFECYCLE_STOPPED and \
                self._stopped_event_delay > 0:
            self._pending_stops[event.uuid] = (
                time.monotonic() + self._stopped_event_delay, event)
            return
        if event.transition == virtevent.EVENT_LIFECYCLE_STARTED and \
                self._pending_stops.pop(event.uuid, None) is not None:
            LOG.debug('Guest %s stopped and started again (a reboot): no events', event.uuid)
            return
        self._emit(event)

    def _emit(self, event):
        try:
            self._handler(event)
        except Exception:
            LOG.exception('Lifecycle event handler failed for %s', event)

    # --- guests ----------------------------------------------------------------
    def get_guest(self, instance):
        """The Guest of ``instance`` (by UUID); InstanceNotFound when libvirt has none."""
        return libvirt_guest.Guest(self.get_domain(instance))

    def get_domain(self, instance):
        try:
            return self.get_connection().lookupByUUIDString(instance.uuid)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                raise exception.InstanceNotFound(instance_id=instance.uuid) from exc
            raise

    def list_guests(self):
        return [libvirt_guest.Guest(dom) for dom in self.get_connection().listAllDomains(0)]

    def write_instance_config(self, xml):
        """Define (or redefine) a persistent domain from ``xml``."""
        return libvirt_guest.Guest(self.get_connection().defineXML(xml))

    # --- host facts ------------------------------------------------------------
    def get_capabilities(self):
        """The host capabilities document as an ElementTree root (cached)."""
        if self._caps is None:
            self._caps = etree.fromstring(self.get_connection().getCapabilities())
        return self._caps

    def get_hostname(self):
        return self.get_connection().getHostname()

    def get_version(self):
        """The hypervisor's version as an integer (major * 1000000 + minor * 1000 + micro)."""
        return self.get_connection().getVersion()

    def get_libversion(self):
        return self.get_connection().getLibVersion()

    def get_hypervisor_type(self):
        return self.get_connection().getType()

    def get_cpu_count(self):
        return self.get_connection().getInfo()[2]

    def get_memory_mb_total(self):
        return self.get_connection().getInfo()[1]

    def get_memory_mb_free(self):
        return self.get_connection().getFreeMemory() // (1024 * 1024)

    def get_cpu_features(self):
        """The host CPU's feature names, expanded from its model when libvirt can (cached:
        the host CPU does not change under a running nova-compute)."""
        if self._cpu_features is None:
            self._cpu_features = self._expanded_cpu_features()
        return set(self._cpu_features)

    def _expanded_cpu_features(self):
        caps = self.get_capabilities()
        cpu = caps.find('./host/cpu')
        if cpu is None:
            return set()
        names = {f.get('name') for f in cpu.findall('feature')}
        try:
            expanded = self.get_connection().baselineCPU(
                [etree.tostring(cpu, encoding='unicode')],
                libvirt.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES)
            names |= {f.get('name') for f in etree.fromstring(expanded).findall('feature')
                      if f.get('policy', 'require') == 'require'}
        except libvirt.libvirtError as exc:
            LOG.debug('Cannot expand the host CPU model: %s', exc)
        names.discard(None)
        return names
