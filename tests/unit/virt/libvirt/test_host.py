"""The libvirt connection (Host): the URI per virt type, reconnecting after a close,
an unreachable libvirt, lifecycle events delivered (a reboot's stop swallowed)."""

import queue
import time

import pytest

from nova import exception
from nova.virt import event as virtevent
from nova.virt.libvirt import host as libvirt_host
from tests.unit.virt.libvirt.conftest import make_instance


def test_connection_uri_follows_virt_type(conf):
    conf.set_override('connection_uri', '', group='libvirt')
    try:
        assert libvirt_host.connection_uri() == 'qemu:///system'
        conf.set_override('virt_type', 'lxc', group='libvirt')
        assert libvirt_host.connection_uri() == 'lxc:///'
    finally:
        conf.set_override('virt_type', 'qemu', group='libvirt')
        conf.set_override('connection_uri', libvirt_host.connection_uri(), group='libvirt')


def test_reconnects_after_the_connection_is_closed(conf):
    host = libvirt_host.Host()
    first = host.get_connection()
    first.close()
    second = host.get_connection()
    assert second is not first
    assert second.isAlive()
    host.cleanup()


def test_unreachable_libvirt_is_hypervisor_unavailable(conf):
    host = libvirt_host.Host(uri='qemu+unix:///system?socket=/nonexistent/sock')
    with pytest.raises(exception.HypervisorUnavailable):
        host.get_connection()


def test_lifecycle_events_reach_the_listener(conf, test_conn):
    events = queue.Queue()
    host = libvirt_host.Host(lifecycle_event_handler=events.put, stopped_event_delay=0)
    host.initialize()
    instance = make_instance()
    xml = ("<domain type='test'><name>%s</name><uuid>%s</uuid><memory>65536</memory>"
           "<os><type>hvm</type></os></domain>" % (instance.name, instance.uuid))
    guest = host.write_instance_config(xml)
    try:
        guest.launch()
        guest.pause()
        guest.resume()
        guest.poweroff()
        seen = []
        deadline = time.monotonic() + 10
        while len(seen) < 4 and time.monotonic() < deadline:
            try:
                event = events.get(timeout=0.5)
            except queue.Empty:
                continue
            if event.uuid == instance.uuid:
                seen.append(event.transition)
        assert seen == [virtevent.EVENT_LIFECYCLE_STARTED, virtevent.EVENT_LIFECYCLE_PAUSED,
                        virtevent.EVENT_LIFECYCLE_RESUMED, virtevent.EVENT_LIFECYCLE_STOPPED]
    finally:
        guest.delete_configuration()
        host.cleanup()


def test_a_reboot_swallows_the_delayed_stopped_event(conf):
    events = []
    host = libvirt_host.Host(lifecycle_event_handler=events.append, stopped_event_delay=60)
    stop = virtevent.LifecycleEvent('u1', virtevent.EVENT_LIFECYCLE_STOPPED)
    host._queue_or_emit(stop)
    host._queue_or_emit(virtevent.LifecycleEvent('u1', virtevent.EVENT_LIFECYCLE_STARTED))
    assert events == [] and host._pending_stops == {}
    host._queue_or_emit(virtevent.LifecycleEvent('u2', virtevent.EVENT_LIFECYCLE_PAUSED))
    assert [e.uuid for e in events] == ['u2']
