"""What ``tools/allinone`` does with the system Python before handing over.

On a bare Debian machine nothing is installed yet, so the order matters:
first the Debian packages (``tools/deps/allinone-apt-packages.txt``: compilers,
venv support, RabbitMQ, and for libvirt its development files), then the
project's virtualenv, which may build against them. Standard library only.

    python3 -m tools.allinone_lib.bootstrap <the arguments of tools/allinone>
"""

import argparse
import json
import os
import sys

from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import steps

# The project without its test-only packages, plus Placement, which the
# all-in-one serves from the project's virtualenv (tools/placement_server.py).
PROJECT_EXTRAS = 'placement'


def venv_dir():
    return os.environ.get('NOVA_ALLINONE_VENV') or os.path.join(layout.REPO, '.venv')


def venv_ready(venv):
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        return False
    import subprocess
    return subprocess.run([python, '-c', 'import nova, placement'],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          cwd='/').returncode == 0


def _parse(argv):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('--state-dir', default=os.environ.get('NOVA_ALLINONE_STATE_DIR',
                                                              layout.DEFAULT_STATE_DIR))
    parser.add_argument('command', nargs='?')
    parser.add_argument('--virt', default=None)
    parser.add_argument('--skip-install', action='store_true')
    args, _rest = parser.parse_known_args(argv)
    return args


def wanted_virt(args):
    """--virt, else the choice stored at the first up, else auto."""
    if args.virt:
        return args.virt
    try:
        with open(os.path.join(args.state_dir, 'allinone.json')) as f:
            return json.load(f).get('virt') or 'auto'
    except (OSError, ValueError):
        return 'auto'


def ensure_project_venv(venv, log_dir):
    if venv_ready(venv):
        return False
    if not os.path.exists(os.path.join(venv, 'bin', 'python')):
        steps.run('create the virtualenv %s' % venv, [sys.executable, '-m', 'venv', venv],
                  'install python3-venv (apt-get install python3-venv) and run again',
                  log_dir)
    pip = [os.path.join(venv, 'bin', 'python'), '-m', 'pip', 'install',
           '--disable-pip-version-check']
    steps.run('install the project into %s' % venv,
              pip + ['-e', '%s[%s]' % (layout.REPO, PROJECT_EXTRAS)],
              'check that PyPI is reachable (pip install) and that the Debian packages of '
              'tools/deps/allinone-apt-packages.txt are installed; then run again',
              log_dir)
    return True


def main(argv=None):
    args = _parse(sys.argv[1:] if argv is None else argv)
    log_dir = os.path.join(os.path.abspath(args.state_dir), 'logs')
    if args.command == 'up' and not args.skip_install:
        install.ensure_apt_packages(with_libvirt=wanted_virt(args) not in ('fake', 'vmware'),
                                    log_dir=log_dir)
    elif not venv_ready(venv_dir()):
        install.ensure_venv_support(log_dir)
    ensure_project_venv(venv_dir(), log_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
