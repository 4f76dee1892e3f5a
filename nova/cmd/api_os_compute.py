"""nova-api-os-compute: the compute REST API (not built yet)."""

import sys

from nova.cmd import common


def main():
    sys.exit(common.not_built_yet('nova-api-os-compute', 'the compute REST API'))


if __name__ == '__main__':
    main()
