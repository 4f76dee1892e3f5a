"""Is a service up: forced down never, otherwise its last heartbeat (or its record's
update, or creation) within service_down_time; the heartbeat counts reports and
survives a store that stops answering, saying so once."""

import datetime

import pytest
from oslo_utils import timeutils

import nova.conf
from nova.servicegroup import api

CONF = nova.conf.CONF


def _ago(seconds):
    return timeutils.utcnow() - datetime.timedelta(seconds=seconds)


# Ages in seconds (the datetimes are made when the test runs, not when it is collected).
@pytest.mark.parametrize('ages, up', [
    ({'last_seen_up': 5}, True),
    ({'last_seen_up': 5, 'forced_down': True}, False),
    ({'last_seen_up': 600}, False),
    ({'last_seen_up': None, 'updated_at': 5}, True),
    ({'created_at': 5}, True),
    ({'created_at': 600}, False),
    ({}, False),
    # The heartbeat wins over a record changed for another reason.
    ({'last_seen_up': 600, 'updated_at': 1}, False),
])
def test_service_is_up(ages, up):
    member = {key: (value if value is None or isinstance(value, bool) else _ago(value))
              for key, value in ages.items()}
    assert api.API().service_is_up(member) is up


def test_down_time_is_configurable():
    CONF.set_override('service_down_time', 1000)
    try:
        assert api.API().service_is_up({'last_seen_up': _ago(600)})
    finally:
        CONF.clear_override('service_down_time')


class _Record(object):
    def __init__(self):
        self.report_count = 0
        self.failing = False
        self.saved = 0

    def save(self):
        if self.failing:
            raise ConnectionError('database gone')
        self.saved += 1


class _Service(object):
    binary, host = 'nova-compute', 'h1'

    def __init__(self, interval):
        self.report_interval = interval
        self.service_ref = _Record()


def test_no_interval_no_heartbeat():
    assert api.API().join('h1', 'compute', _Service(0)) is None


def test_reports_count_and_survive_an_outage(caplog):
    service = _Service(60)
    beat = api._Heartbeat(service, 60)
    beat.report_state()
    service.service_ref.failing = True
    beat.report_state()
    beat.report_state()
    assert beat._lost
    errors = [r for r in caplog.records if r.levelname == 'ERROR']
    assert len(errors) == 1  # said once, not per beat
    service.service_ref.failing = False
    beat.report_state()
    assert not beat._lost and service.service_ref.saved == 2
    assert service.service_ref.report_count == 4


def test_a_started_heartbeat_stops():
    beat = api.API().join('h1', 'compute', _Service(60))
    beat.stop()
    assert not beat._thread.is_alive()
