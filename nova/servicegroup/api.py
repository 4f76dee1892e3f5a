"""Is a service alive? Heartbeats written to its service record decide.

Only the database driver exists (as upstream's default): each service bumps
its ``report_count`` every ``report_interval`` seconds, and a service whose
record was not updated within ``service_down_time`` counts as down.
"""

import threading

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def is_up(member, as_of, down_time):
    """``service_is_up`` with the time and ``service_down_time`` given: a caller
    judging many services (the scheduler's ComputeFilter) reads them once."""
    if member.get('forced_down'):
        return False
    last_heartbeat = (member.get('last_seen_up') or member.get('updated_at') or
                      member.get('created_at'))
    if last_heartbeat is None:
        return False
    elapsed = timeutils.delta_seconds(timeutils.normalize_time(last_heartbeat), as_of)
    return abs(elapsed) <= down_time


class API(object):

    def join(self, member, group, service=None):
        """Start heartbeating ``service`` (a nova.service.Service) in a thread."""
        interval = service.report_interval
        if not interval:
            return None
        heartbeat = _Heartbeat(service, interval)
        heartbeat.start()
        return heartbeat

    def service_is_up(self, member, as_of=None):
        """True if the service record was refreshed within ``service_down_time``
        of ``as_of`` (default now).

        A caller holding a record it read a while ago passes the time it read
        it: the record cannot say anything about the heartbeats since, and a
        long request (a big multi-create being scheduled) must not see every
        service "go down" halfway through because its copy aged.
        """
        return is_up(member, as_of or timeutils.utcnow(), CONF.service_down_time)

    def get_updated_time(self, member):
        return member.get('updated_at') or member.get('created_at')


class _Heartbeat(object):
    """Thread that keeps one service record fresh and survives DB/MQ outages."""

    def __init__(self, service, interval):
        self.service = service
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name='heartbeat', daemon=True)
        self._lost = False

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self):
        while not self._stop.wait(self.interval):
            self.report_state()

    def report_state(self):
        service_ref = self.service.service_ref
        try:
            service_ref.report_count += 1
            service_ref.save()
            if self._lost:
                LOG.info('Recovered connection to the service record store; '
                         'heartbeats resumed')
                self._lost = False
        except Exception as exc:  # DB or conductor unreachable: keep trying
            if not self._lost:
                LOG.error('Heartbeat for %(binary)s on %(host)s failed; the service '
                          'will show as down until it succeeds: %(err)s',
                          {'binary': self.service.binary, 'host': self.service.host,
                           'err': exc})
                self._lost = True
            else:
                LOG.debug('Heartbeat still failing: %s', exc)
