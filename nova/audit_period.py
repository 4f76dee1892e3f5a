"""Usage audit periods: ``[DEFAULT] instance_usage_audit_period`` as time spans.

The option is ``hour``, ``day``, ``month`` or ``year``, optionally with
``@N`` moving where each period starts: the minute of the hour, the hour of
the day, the day of the month or the month of the year (``month@15`` runs
from the 15th to the 15th). Times are naive UTC, like the database's.

nova-compute audits the last *completed* period; instance.update
notifications report the current one (from its start until now). A period
ending exactly now is not completed yet.

Offsets past what a calendar allows (``month@31`` in February, ``day@25``)
are pulled back to the last valid value instead of failing the periodic
task every time it runs.
"""

import datetime

from oslo_utils import timeutils

import nova.conf

CONF = nova.conf.CONF

# The task log name of nova-compute's audit, which /os-instance_usage_audit_log reads.
TASK_NAME = 'instance_usage_audit'

UNITS = ('hour', 'day', 'month', 'year')
# (smallest, largest) offset each unit accepts; 0 means "the unit's natural start".
_OFFSET_RANGE = {'hour': (0, 59), 'day': (0, 23), 'month': (1, 28), 'year': (1, 12)}


def parse(period=None):
    """(unit, offset) of ``period`` (default: the configured one)."""
    period = period or CONF.instance_usage_audit_period
    unit, _, offset = period.partition('@')
    if unit not in UNITS:
        raise ValueError('Time period must be hour, day, month or year, not %r' % period)
    low, high = _OFFSET_RANGE[unit]
    return unit, min(max(int(offset or 0), low), high)


def _boundary_at_or_before(unit, offset, moment):
    """The latest start of a period of ``unit``/``offset`` that is <= ``moment``."""
    if unit == 'hour':
        start = moment.replace(minute=offset, second=0, microsecond=0)
    elif unit == 'day':
        start = moment.replace(hour=offset, minute=0, second=0, microsecond=0)
    elif unit == 'month':
        start = moment.replace(day=offset, hour=0, minute=0, second=0, microsecond=0)
    else:
        start = moment.replace(month=offset, day=1, hour=0, minute=0, second=0,
                               microsecond=0)
    return start if start <= moment else _previous_boundary(unit, start)


def _months_earlier(moment, months):
    index = moment.year * 12 + moment.month - 1 - months
    return moment.replace(year=index // 12, month=index % 12 + 1)


def _previous_boundary(unit, boundary):
    """The start of the period that ends at ``boundary`` (itself a period start)."""
    if unit == 'hour':
        return boundary - datetime.timedelta(hours=1)
    if unit == 'day':
        return boundary - datetime.timedelta(days=1)
    if unit == 'month':
        return _months_earlier(boundary, 1)
    return boundary.replace(year=boundary.year - 1)


def _naive_utc(moment):
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment


def last_completed(before=None, period=None):
    """(beginning, ending) of the last period that ended strictly before ``before`` (now)."""
    unit, offset = parse(period)
    moment = _naive_utc(before or timeutils.utcnow())
    ending = _boundary_at_or_before(unit, offset, moment)
    if ending == moment:  # ending right now: that period is not over yet
        ending = _previous_boundary(unit, ending)
    return _previous_boundary(unit, ending), ending


def current(now=None, period=None):
    """(beginning, now) of the period under way: it began when the last completed one ended."""
    now = _naive_utc(now or timeutils.utcnow())
    return last_completed(now, period)[1], now
