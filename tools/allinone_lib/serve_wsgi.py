"""Serve one OpenStack WSGI application (Keystone, Glance) on loopback.

Runs with the services virtualenv's Python. The applications parse
``sys.argv`` with oslo.config on import, so argv is emptied first and the
configuration directory is handed over through the service's environment
variable instead.

    python -m tools.allinone_lib.serve_wsgi --app keystone.wsgi.api:application \
        --port 5000 --config-env OS_KEYSTONE_CONFIG_DIR=/path/to/etc
"""

import argparse
import importlib
import os
import signal
import sys
import threading


def load(app_path):
    module_name, _, attr = app_path.partition(':')
    saved = sys.argv
    sys.argv = [saved[0]]
    try:
        module = importlib.import_module(module_name)
    finally:
        sys.argv = saved
    return getattr(module, attr or 'application')


def one_at_a_time(app):
    """``app`` behind a lock: concurrent requests queue instead of running together.

    For an application on SQLite, where two writers at once make one fail with
    "database is locked". The response is read in full before the lock is
    released, so a slow client does not hold the others up mid-body.
    """
    lock = threading.Lock()

    def serialised(environ, start_response):
        with lock:
            result = app(environ, start_response)
            try:
                return [b''.join(result)]
            finally:
                close = getattr(result, 'close', None)
                if close is not None:
                    close()
    return serialised


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--app', required=True, help='module:attribute of the WSGI app')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--config-env', action='append', default=[],
                        help='NAME=VALUE set before the application is imported')
    parser.add_argument('--one-at-a-time', action='store_true',
                        help='serve one request at a time, the others queue (SQLite)')
    args = parser.parse_args(argv)
    for item in args.config_env:
        name, _, value = item.partition('=')
        os.environ[name] = value
    from tools import wsgi_server
    app = load(args.app)
    if args.one_at_a_time:
        app = one_at_a_time(app)
    server = wsgi_server.make_server(app, args.host, args.port)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    print('%s listening on http://%s:%d' % (args.app, args.host, server.server_port),
          flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    # Glance registers atexit hooks that wait for its worker pools.
    os._exit(0)


if __name__ == '__main__':
    main()
