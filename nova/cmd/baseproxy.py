"""Start-up of the websocket console proxies (nova-novncproxy, -spicehtml5proxy, -serialproxy)."""

import os
import signal
import sys
import threading

from oslo_log import log as logging

import nova.conf
from nova.cmd import common
from nova.conf import novnc
from nova.console import websocketproxy

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def register_cli_opts():
    """[DEFAULT] web, cert, ssl_only... are command-line options of the proxies, as upstream."""
    for opt in novnc.novnc_opts:
        CONF.unregister_opt(opt)
    CONF.register_cli_opts(novnc.novnc_opts)


def exit_with_error(binary, message):
    print('%s: %s' % (binary, message), file=sys.stderr)
    sys.exit(1)


def build_server(host, port, console_types, security_proxy=None, binary='nova-proxy',
                 web_required=True):
    """A ConsoleProxyServer configured from CONF (exits on unusable TLS/web settings).

    Without ``web_required`` (the serial proxy has no web client of its own) a
    missing web directory only means no static files are served.
    """
    ssl_context = None
    if CONF.ssl_only and not os.path.exists(CONF.cert):
        exit_with_error(binary, 'ssl_only is set but the certificate %s does not exist'
                        % CONF.cert)
    if os.path.exists(CONF.cert):
        ssl_context = websocketproxy.make_ssl_context(
            CONF.cert, CONF.key, CONF.console.ssl_ciphers,
            CONF.console.ssl_minimum_version)
    web = CONF.web
    if web and not os.path.isdir(web):
        if web_required:
            exit_with_error(binary, 'cannot find the web client files at %s' % web)
        LOG.warning('No web client files at %s: serving websockets only', web)
        web = None
    if CONF.daemon:
        LOG.warning('[DEFAULT] daemon is ignored: run the proxy under a service manager')
    return websocketproxy.ConsoleProxyServer(
        host, port, console_types, web=web, security_proxy=security_proxy,
        ssl_context=ssl_context, ssl_only=CONF.ssl_only, ipv6=CONF.source_is_ipv6,
        allowed_origins=CONF.console.allowed_origins,
        enforce_session_timeout=CONF.consoleauth.enforce_session_timeout,
        record=CONF.record)


def serve(server, binary):
    """Serve until SIGTERM/SIGINT, then stop accepting and return."""
    def _stop(signum, frame):
        LOG.info('%s stopping on signal %s', binary, signum)
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    host, port = server.server_address[:2]
    LOG.info('%s listening on %s:%s (web client files from %s)', binary, host, port,
             server.web)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(binary, host_opt, port_opt, console_types, default_web, security_proxy=None,
         web_required=True):
    """Shared main(): ``host_opt``/``port_opt`` are (group, name) of the listen options."""
    register_cli_opts()
    CONF.set_default('web', default_web)
    common.setup(binary=binary, init_rpc=False)
    host = getattr(getattr(CONF, host_opt[0]), host_opt[1])
    port = getattr(getattr(CONF, port_opt[0]), port_opt[1])
    proxy = security_proxy() if callable(security_proxy) else security_proxy
    server = build_server(host, port, console_types, proxy, binary, web_required)
    serve(server, binary)
    return 0
