"""nova-novncproxy: the noVNC console proxy (not built yet)."""

import sys

from nova.cmd import common


def main():
    sys.exit(common.not_built_yet('nova-novncproxy', 'the noVNC console proxy'))


if __name__ == '__main__':
    main()
