"""The process that holds a compute node's mount and UTS namespaces.

    nsenter --net=/run/netns/<ns> unshare --mount --uts --propagation private -- \\
        python -m tools.allinone_lib.node_holder --hostname compute1 \\
            --bind <node dir>/libvirt/run:/run/libvirt ... <node dir>

Started in the node's network namespace with a mount and a UTS namespace of
its own: it names the host, bind-mounts the node's private directories over
the machine's (libvirt's configuration, runtime, state, cache and log
directories, /etc/hosts), writes ``<node dir>/ready`` and then sleeps until
SIGTERM. The node's daemons (virtlogd, libvirtd, nova-compute) join its
namespaces with ``nsenter --target <this pid> --mount --uts --net``, so each
node has its own libvirtd socket, domain definitions and host name, as a
separate machine would. Standard library only.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hostname', required=True)
    parser.add_argument('--bind', action='append', default=[],
                        help='SOURCE:TARGET, bind-mounted in this mount namespace')
    parser.add_argument('node_dir')
    args = parser.parse_args(argv)
    socket.sethostname(args.hostname)
    for item in args.bind:
        source, target = item.split(':', 1)
        if os.path.isdir(source):
            os.makedirs(target, exist_ok=True)
        subprocess.run(['mount', '--bind', source, target], check=True)
    ready = os.path.join(args.node_dir, 'ready')
    with open(ready, 'w') as f:
        f.write('%d\n' % os.getpid())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            signal.pause()
    finally:
        try:
            os.unlink(ready)
        except OSError:
            pass


if __name__ == '__main__':
    sys.exit(main())
