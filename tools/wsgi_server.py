"""A small threaded WSGI server for the OpenStack services the tooling runs.

Placement, Keystone and Glance are WSGI applications; development and tests
serve them with this instead of needing uwsgi or Apache.
"""

import logging
import socketserver
import threading
from wsgiref import simple_server

LOG = logging.getLogger(__name__)


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.debug('%s - %s', self.address_string(), fmt % args)

    def get_environ(self):
        env = super().get_environ()
        # wsgiref drops a request body without Content-Length; be explicit.
        env.setdefault('CONTENT_LENGTH', self.headers.get('Content-Length', ''))
        return env


def make_server(app, host='127.0.0.1', port=0):
    server = simple_server.make_server(host, port, app, server_class=_ThreadingWSGIServer,
                                       handler_class=_QuietHandler)
    return server


def serve_in_thread(app, host='127.0.0.1', port=0):
    """Start serving ``app``; return (server, base_url). Stop with server.shutdown()."""
    server = make_server(app, host, port)
    thread = threading.Thread(target=server.serve_forever, name='wsgi-server', daemon=True)
    thread.start()
    return server, 'http://%s:%d' % (host, server.server_port)
