"""nova-spicehtml5proxy: the SPICE HTML5 console proxy (not built yet)."""

import sys

from nova.cmd import common


def main():
    sys.exit(common.not_built_yet('nova-spicehtml5proxy', 'the SPICE HTML5 console proxy'))


if __name__ == '__main__':
    main()
