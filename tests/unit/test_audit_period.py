"""[DEFAULT] instance_usage_audit_period as time spans: the last completed
period (what nova-compute audits and /os-instance_usage_audit_log reports)
and the current one (what instance.update notifications carry)."""

import datetime

import pytest

from nova import audit_period

D = datetime.datetime


@pytest.mark.parametrize('period,now,expected', [
    # hour: the previous whole hour; @N starts hours at minute N.
    ('hour', D(2012, 7, 5, 9, 7), (D(2012, 7, 5, 8), D(2012, 7, 5, 9))),
    ('hour@30', D(2012, 7, 5, 9, 7), (D(2012, 7, 5, 7, 30), D(2012, 7, 5, 8, 30))),
    ('hour@30', D(2012, 7, 5, 9, 45), (D(2012, 7, 5, 8, 30), D(2012, 7, 5, 9, 30))),
    ('hour', D(2012, 1, 1, 0, 10), (D(2011, 12, 31, 23), D(2012, 1, 1))),
    # day: yesterday; @N starts days at hour N.
    ('day', D(2012, 7, 4, 12), (D(2012, 7, 3), D(2012, 7, 4))),
    ('day@3', D(2012, 7, 4, 12), (D(2012, 7, 3, 3), D(2012, 7, 4, 3))),
    ('day@3', D(2012, 7, 4, 2), (D(2012, 7, 2, 3), D(2012, 7, 3, 3))),
    ('day', D(2012, 3, 1, 1), (D(2012, 2, 29), D(2012, 3, 1))),
    # month: last month; @N starts months on day N.
    ('month', D(2012, 4, 1, 5), (D(2012, 3, 1), D(2012, 4, 1))),
    ('month', D(2012, 1, 20), (D(2011, 12, 1), D(2012, 1, 1))),
    ('month@15', D(2012, 7, 20), (D(2012, 6, 15), D(2012, 7, 15))),
    ('month@15', D(2012, 7, 10), (D(2012, 5, 15), D(2012, 6, 15))),
    ('month@15', D(2012, 1, 10), (D(2011, 11, 15), D(2011, 12, 15))),
    # year: last year; @N starts years in month N.
    ('year', D(2012, 7, 5), (D(2011, 1, 1), D(2012, 1, 1))),
    ('year@3', D(2012, 7, 5), (D(2011, 3, 1), D(2012, 3, 1))),
    ('year@3', D(2012, 2, 5), (D(2010, 3, 1), D(2011, 3, 1))),
])
def test_last_completed_period(period, now, expected):
    assert audit_period.last_completed(now, period) == expected


@pytest.mark.parametrize('period,boundary,previous', [
    ('hour', D(2012, 7, 5, 9), D(2012, 7, 5, 8)),
    ('day@3', D(2012, 7, 4, 3), D(2012, 7, 3, 3)),
    ('month', D(2012, 4, 1), D(2012, 3, 1)),
    ('year@3', D(2012, 3, 1), D(2011, 3, 1)),
])
def test_a_period_ending_right_now_is_not_completed_yet(period, boundary, previous):
    assert audit_period.last_completed(boundary, period)[1] == previous
    just_after = boundary + datetime.timedelta(microseconds=1)
    assert audit_period.last_completed(just_after, period)[1] == boundary


def test_consecutive_periods_meet():
    """Audits never leave a gap: each period starts where the one before ended."""
    moment = D(2012, 12, 31, 23, 59)
    second = datetime.timedelta(seconds=1)
    for period in ('hour@5', 'day@23', 'month@28', 'year@12'):
        beginning, ending = audit_period.last_completed(moment, period)
        assert beginning < ending <= moment
        assert audit_period.last_completed(beginning + second, period)[1] == beginning
        assert audit_period.last_completed(ending + second, period)[0] == beginning


def test_offsets_past_the_calendar_are_pulled_back():
    assert audit_period.parse('month@31') == ('month', 28)
    assert audit_period.parse('day@30') == ('day', 23)
    assert audit_period.parse('year@0') == ('year', 1)
    assert audit_period.last_completed(D(2013, 3, 30), 'month@31') == (
        D(2013, 2, 28), D(2013, 3, 28))


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        audit_period.parse('week')


def test_current_period_runs_from_the_last_boundary_until_now():
    now = D(2012, 10, 29, 13, 42, 11)
    assert audit_period.current(now, 'month') == (D(2012, 10, 1), now)
    assert audit_period.current(now, 'day@18') == (D(2012, 10, 28, 18), now)


def test_aware_times_are_read_as_utc():
    aware = datetime.datetime(2012, 7, 5, 11, 7, tzinfo=datetime.timezone(
        datetime.timedelta(hours=2)))
    assert audit_period.last_completed(aware, 'hour') == (D(2012, 7, 5, 8), D(2012, 7, 5, 9))


def test_the_configured_period_is_the_default():
    import nova.conf
    nova.conf.CONF.set_override('instance_usage_audit_period', 'day@6')
    try:
        assert audit_period.last_completed(D(2012, 7, 4, 12)) == (
            D(2012, 7, 3, 6), D(2012, 7, 4, 6))
    finally:
        nova.conf.CONF.clear_override('instance_usage_audit_period')
