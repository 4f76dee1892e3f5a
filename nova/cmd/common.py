"""Start-up steps shared by every console script."""

import ctypes
import os
import sys

from oslo_config import cfg
from oslo_log import log as logging

import nova.conf
from nova import config
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


_M_ARENA_MAX = -8


def limit_malloc_arenas(arenas=2):
    """Cap glibc's per-thread malloc arenas.

    The daemons run dozens of threads (RPC executor, API workers); glibc gives
    busy threads arenas of their own, which inflates RSS by tens of MiB for
    no speed gain in a mostly-GIL-bound Python process. MALLOC_ARENA_MAX in
    the environment, if set, wins.
    """
    if 'MALLOC_ARENA_MAX' in os.environ:
        return
    try:
        ctypes.CDLL('libc.so.6').mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def setup(argv=None, binary=None, configure_db=True, init_rpc=True):
    """Parse config, set up logging and objects; exit with one clear line on bad config."""
    limit_malloc_arenas()
    argv = list(sys.argv if argv is None else argv)
    try:
        config.parse_args(argv, configure_db=configure_db, init_rpc=init_rpc)
    except (cfg.ConfigFilesNotFoundError, cfg.ConfigFileParseError, cfg.Error) as exc:
        print('%s: configuration error: %s' % (binary or argv[0], exc), file=sys.stderr)
        sys.exit(2)
    logging.setup(CONF, 'nova')
    objects.register_all()


def block_db_access():
    """Make any direct database use in this process fail loudly."""
    from nova.db.main import engine as main_engine
    main_engine.DISABLE_DB_ACCESS = True


def not_built_yet(binary, what):
    """Console scripts whose service does not exist yet say so instead of failing oddly."""
    print('%s: %s is not available in this release yet.' % (binary, what), file=sys.stderr)
    return 2


def serve_apis(binary, builders):
    """Build each API server, then serve: the first in this thread, others beside it.

    ``builders`` are ``(build_server, listen_option, port_option)``; a port
    that cannot be bound is a one-line error and exit code 1, after the
    servers already built are stopped.
    """
    servers = []
    for build, host_opt, port_opt in builders:
        try:
            servers.append(build())
        except OSError as error:
            print('%s: cannot listen on %s:%s: %s' % (
                binary, CONF[host_opt], CONF[port_opt], error), file=sys.stderr)
            for started in servers:
                started.stop()
            return 1
    if not servers:
        print('%s: [DEFAULT] enabled_apis names no API' % binary, file=sys.stderr)
        return 1
    for extra in servers[1:]:
        extra.start()
    try:
        servers[0].serve_forever()
    finally:
        for extra in servers[1:]:
            extra.stop()
    return 0
