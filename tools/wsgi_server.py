"""A threaded WSGI server for the OpenStack services the tooling runs.

Placement, Keystone and Glance are WSGI applications; development and tests
serve them with this instead of needing uwsgi or Apache. cheroot (HTTP/1.1,
keep-alive, a thread pool: what nova-api itself uses) when it is installed,
the standard library's wsgiref otherwise.
"""

import logging
import socketserver
import threading
from wsgiref import simple_server

LOG = logging.getLogger(__name__)
THREADS = 16


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.debug('%s - %s', self.address_string(), fmt % args)


class _CherootServer(object):
    """cheroot behind the small interface the tools use (wsgiref's names)."""

    def __init__(self, app, host, port):
        from cheroot import wsgi as cheroot_wsgi
        self._server = cheroot_wsgi.Server((host, port), app, numthreads=THREADS)
        self._server.prepare()
        self.server_port = self._server.bind_addr[1]

    def serve_forever(self):
        self._server.serve()

    def shutdown(self):
        self._server.stop()

    def server_close(self):
        self._server.stop()


def make_server(app, host='127.0.0.1', port=0):
    try:
        return _CherootServer(app, host, port)
    except ImportError:
        return simple_server.make_server(host, port, app, server_class=_ThreadingWSGIServer,
                                         handler_class=_QuietHandler)


def serve_in_thread(app, host='127.0.0.1', port=0):
    """Start serving ``app``; return (server, base_url). Stop with server.shutdown()."""
    server = make_server(app, host, port)
    thread = threading.Thread(target=server.serve_forever, name='wsgi-server', daemon=True)
    thread.start()
    return server, 'http://%s:%d' % (host, server.server_port)
