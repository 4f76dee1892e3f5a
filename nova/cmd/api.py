"""nova-api: the APIs named by ``[DEFAULT] enabled_apis`` in one process.

``osapi_compute`` (port 8774) and ``metadata`` (port 8775), each on its own
built-in server; the first serves in the main thread and a signal that
stops it stops the others too.
"""

import sys

import nova.conf
from nova.cmd import api_metadata
from nova.cmd import api_os_compute
from nova.cmd import common

CONF = nova.conf.CONF

_BUILDERS = {
    'osapi_compute': (api_os_compute.build_server, 'osapi_compute_listen',
                      'osapi_compute_listen_port'),
    'metadata': (api_metadata.build_server, 'metadata_listen', 'metadata_listen_port'),
}


def run(argv=None, binary='nova-api'):
    common.setup(argv, binary=binary)
    return common.serve_apis(binary, [_BUILDERS[name]
                                      for name in dict.fromkeys(CONF.enabled_apis)])


def main(argv=None):
    return sys.exit(run(argv))


if __name__ == '__main__':
    main()
