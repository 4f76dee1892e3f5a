"""nova-api-os-compute: the compute REST API on its own, with the built-in server."""

import sys

from oslo_log import log as logging

import nova.conf
from nova.cmd import common

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def build_server():
    from nova.api import server
    from nova.wsgi import osapi_compute
    app = osapi_compute.init_application(configure=False)
    return server.APIServer('osapi_compute', app, CONF.osapi_compute_listen,
                            CONF.osapi_compute_listen_port,
                            threads=CONF.osapi_compute_workers)


def main(argv=None, binary='nova-api-os-compute'):
    common.setup(argv, binary=binary)
    return common.serve_apis(
        binary, [(build_server, 'osapi_compute_listen', 'osapi_compute_listen_port')])


if __name__ == '__main__':
    sys.exit(main())
