"""python -m tools.vcsim build | serve --port N --state-dir DIR"""

import argparse
import os
import sys

from tools import vcsim


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m tools.vcsim')
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('build', help='build (or find in the cache) the nova-vcsim binary')
    serve = sub.add_parser('serve', help='run a simulator in the foreground')
    serve.add_argument('--port', type=int, default=8989)
    serve.add_argument('--state-dir', required=True)
    args = parser.parse_args(argv)
    binary = vcsim.ensure_binary(log=lambda msg: print('vcsim: %s' % msg, flush=True))
    if args.command == 'build':
        print(binary)
        return 0
    sim = vcsim.Simulator(args.port, args.state_dir)
    os.execve(binary, sim.command(binary), sim.environment())


if __name__ == '__main__':
    sys.exit(main())
