"""nova-compute whose fake driver reports many nodes (the all-in-one's ``--fake-nodes``).

    python -m tools.allinone_lib.fake_nodes_compute --nodes N --config-file nova.conf

Sets the fake driver's nodes (``<host>-node-0000`` ...) before handing the
remaining arguments to nova-compute's main, so one process stands for N
hypervisors, each its own compute node and resource provider in Placement.
"""

import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != '--nodes':
        raise SystemExit('usage: python -m %s --nodes N [nova-compute options]' % __name__)
    nodes = int(argv[1])
    rest = argv[2:]
    conf_file = rest[rest.index('--config-file') + 1] if '--config-file' in rest else None
    host = _host(conf_file)
    from nova.virt import fake
    fake.set_nodes(['%s-node-%04d' % (host, i) for i in range(nodes)])
    from nova.cmd import compute
    sys.argv = ['nova-compute'] + rest
    return compute.main()


def _host(conf_file):
    """[DEFAULT] host of ``conf_file`` (the node names carry it), else the machine's."""
    import configparser
    import socket
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    if conf_file:
        parser.read(conf_file)
    return parser.get('DEFAULT', 'host', fallback=None) or socket.gethostname()


if __name__ == '__main__':
    sys.exit(main())
