"""nova-serialproxy: the serial console proxy (not built yet)."""

import sys

from nova.cmd import common


def main():
    sys.exit(common.not_built_yet('nova-serialproxy', 'the serial console proxy'))


if __name__ == '__main__':
    main()
