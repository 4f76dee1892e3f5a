"""nova-api-metadata: the metadata API on its own, with the built-in server."""

import sys

from oslo_log import log as logging

import nova.conf
from nova.cmd import common

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def build_server():
    from nova.api import server
    from nova.wsgi import metadata
    app = metadata.init_application(configure=False)
    return server.APIServer('metadata', app, CONF.metadata_listen,
                            CONF.metadata_listen_port, threads=CONF.metadata_workers)


def main(argv=None, binary='nova-api-metadata'):
    common.setup(argv, binary=binary)
    return common.serve_apis(binary, [(build_server, 'metadata_listen', 'metadata_listen_port')])


if __name__ == '__main__':
    sys.exit(main())
