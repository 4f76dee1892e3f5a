"""A Service starts, writes its record, heartbeats, answers RPC and stops."""

import time

import pytest

import nova.conf
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import service
from nova import servicegroup

CONF = nova.conf.CONF


def _wait(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def conductor(fake_rpc, ctxt):
    svc = service.Service.create(host='unit-host', binary='nova-conductor',
                                 report_interval=1, periodic_enable=False)
    svc.start()
    yield svc
    svc.stop()


def test_start_creates_record_and_heartbeats(conductor, ctxt):
    record = objects.Service.get_by_host_and_binary(ctxt, 'unit-host', 'nova-conductor')
    assert record.topic == 'conductor'
    assert record.version == service_obj.SERVICE_VERSION
    assert _wait(lambda: objects.Service.get_by_host_and_binary(
        ctxt, 'unit-host', 'nova-conductor').report_count >= 2)
    fresh = objects.Service.get_by_host_and_binary(ctxt, 'unit-host', 'nova-conductor')
    assert fresh.last_seen_up is not None
    assert servicegroup.API().service_is_up(fresh)


def test_answers_rpc(conductor):
    ctxt = context.RequestContext('u', 'p')
    assert conductor_rpcapi.ConductorAPI().ping(ctxt, 5) == {'service': 'conductor',
                                                            'arg': 'ping'}


def test_restart_reuses_the_record(conductor, ctxt):
    first = objects.Service.get_by_host_and_binary(ctxt, 'unit-host', 'nova-conductor')
    conductor.stop()
    again = service.Service.create(host='unit-host', binary='nova-conductor',
                                   report_interval=0, periodic_enable=False)
    again.start()
    try:
        assert again.service_ref.id == first.id
    finally:
        again.stop()


def test_newer_record_refuses_an_older_service(fake_rpc, ctxt):
    objects.Service(ctxt, host='unit-host', binary='nova-scheduler', topic='scheduler',
                    version=service_obj.SERVICE_VERSION + 1).create()
    svc = service.Service.create(host='unit-host', binary='nova-scheduler',
                                 report_interval=0, periodic_enable=False)
    with pytest.raises(exception.ServiceTooOld):
        svc.start()


def test_down_after_service_down_time(ctxt):
    record = objects.Service(ctxt, host='h', binary='nova-compute', topic='compute')
    record.create()
    api = servicegroup.API()
    assert api.service_is_up(record)  # created just now
    from oslo_utils import timeutils
    import datetime
    record.last_seen_up = timeutils.utcnow() - datetime.timedelta(
        seconds=CONF.service_down_time + 1)
    assert not api.service_is_up(record)
    record.last_seen_up = timeutils.utcnow()
    record.forced_down = True
    assert not api.service_is_up(record)
