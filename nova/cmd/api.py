"""nova-api: the compute and metadata REST API (not built yet)."""

import sys

from nova.cmd import common


def main():
    sys.exit(common.not_built_yet('nova-api', 'the compute and metadata REST API'))


if __name__ == '__main__':
    main()
