#!/usr/bin/env python3
"""Run the real OpenStack Placement service (from PyPI) on loopback.

Placement is a dependency, not re-implemented: this writes a minimal
placement.conf (SQLite, noauth2 or keystone) into a state directory, lets
Placement create its schema on start-up, and serves its WSGI application.

    python -m tools.placement_server --state-dir DIR [--port 8778]
"""

import argparse
import os
import signal
import sys

from tools import authtoken

PLACEMENT_CONF = """[DEFAULT]
debug = {debug}
log_file = {log_file}

[api]
auth_strategy = {auth_strategy}

[placement_database]
connection = {connection}
sync_on_startup = True
{keystone_section}"""

def write_config(state_dir, connection=None, auth_strategy='noauth2', auth_url=None,
                 password=None, debug=False):
    os.makedirs(state_dir, exist_ok=True)
    connection = connection or 'sqlite:///%s' % os.path.join(state_dir, 'placement.db')
    keystone = (authtoken.keystone_authtoken_section(auth_url, 'placement', password)
                if auth_strategy == 'keystone' else '')
    text = PLACEMENT_CONF.format(debug=debug, auth_strategy=auth_strategy,
                                 connection=connection, keystone_section=keystone,
                                 log_file=os.path.join(state_dir, 'placement.log'))
    with open(os.path.join(state_dir, 'placement.conf'), 'w') as f:
        f.write(text)
    return state_dir


def _forget_previous_placement():
    """Let a second Placement in this process use its own database.

    Placement keeps its engine and "standard traits/classes already synced"
    flags per process; a later in-process Placement (the next test module's
    cloud) would otherwise keep writing to the first one's database, where
    the previous cloud's providers still hold the same names.
    """
    if 'placement.db_api' not in sys.modules:
        return
    from oslo_db.sqlalchemy import enginefacade
    from placement import db_api
    from placement.objects import consumer_type, resource_class, trait
    factory = db_api.placement_context_manager._factory
    if getattr(factory, '_started', False):
        db_api.placement_context_manager.patch_factory(enginefacade._TransactionFactory())
        factory.dispose_pool()
    # db_api.configure runs once per process unless told to forget it.
    reset_configure = getattr(db_api.configure, 'reset', None)
    if reset_configure is not None:
        reset_configure()
    trait._TRAITS_SYNCED = False
    resource_class._RESOURCE_CLASSES_SYNCED = False
    consumer_type._CONSUMER_TYPES_SYNCED = False


def load_app(state_dir):
    """Import Placement's WSGI app configured from ``state_dir``/placement.conf."""
    os.environ['OS_PLACEMENT_CONFIG_DIR'] = state_dir
    # On SQLite, take write locks up front and wait for them (as nova's own
    # engines do), so concurrent claims queue instead of failing as locked.
    import nova.db._enginefacade  # noqa: F401
    saved_argv = sys.argv
    sys.argv = [saved_argv[0]]  # Placement parses argv with oslo.config
    try:
        _forget_previous_placement()
        from placement import wsgi as placement_wsgi
        return placement_wsgi.init_application()
    finally:
        sys.argv = saved_argv


def serve_in_thread(state_dir, port=0, **config):
    """Configure, load and serve Placement in this process; return (server, url)."""
    from tools import wsgi_server
    write_config(state_dir, **config)
    return wsgi_server.serve_in_thread(load_app(state_dir), port=port)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8778)
    parser.add_argument('--connection', help='database URL (default: SQLite in state dir)')
    parser.add_argument('--auth-strategy', default='noauth2', choices=['noauth2', 'keystone'])
    parser.add_argument('--auth-url')
    parser.add_argument('--password')
    args = parser.parse_args(argv)
    from tools import wsgi_server
    write_config(args.state_dir, connection=args.connection,
                 auth_strategy=args.auth_strategy, auth_url=args.auth_url,
                 password=args.password)
    server = wsgi_server.make_server(load_app(args.state_dir), args.host, args.port)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    print('placement listening on http://%s:%d' % (args.host, server.server_port),
          flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
