"""nova-api: the compute REST API (the metadata API joins it once it exists)."""

import sys

from nova.cmd import api_os_compute


def main(argv=None):
    return sys.exit(api_os_compute.main(argv, binary='nova-api'))


if __name__ == '__main__':
    main()
