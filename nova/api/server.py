"""The built-in HTTP server of nova-api: cheroot's threaded WSGI server.

HTTP/1.1 with keep-alive, a fixed thread pool, and a clean stop on SIGTERM
or SIGINT (the listening socket closes, requests in flight finish).
"""

import os
import signal
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def default_threads():
    """Threads for a small API host: a few per CPU, at least 16."""
    return max(16, 4 * (os.cpu_count() or 1))


class APIServer(object):
    """Serve one WSGI app on (host, port) until ``stop`` is called."""

    def __init__(self, name, app, host, port, threads=None):
        self.name = name
        self._server = cheroot_wsgi.Server((host, port), app,
                                           numthreads=threads or default_threads(),
                                           server_name=name)
        self._server.prepare()
        self.host, self.port = self._server.bind_addr[:2]
        self._thread = None

    def start(self):
        """Serve in a background thread (tests and multi-app processes)."""
        self._thread = threading.Thread(target=self._server.serve, name=self.name,
                                        daemon=True)
        self._thread.start()
        LOG.info('%s listening on %s:%s', self.name, self.host, self.port)
        return self

    def serve_forever(self):
        """Serve in this thread until SIGTERM/SIGINT."""
        def _stop(signum, frame):
            LOG.info('%s got signal %s, stopping', self.name, signum)
            threading.Thread(target=self.stop, daemon=True).start()
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        LOG.info('%s listening on %s:%s', self.name, self.host, self.port)
        self._server.serve()

    def stop(self):
        self._server.stop()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)
