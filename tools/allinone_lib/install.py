"""Install what the all-in-one needs and is missing: Debian packages and the
virtualenv that holds Keystone, Glance and the openstack CLI.

Keystone and Glance pin libraries that clash with each other's and with the
project's, so they share one virtualenv of their own, cached under
``~/.cache/nova-allinone`` and reused by every state directory.
"""

import os
import shutil
import subprocess

from tools.allinone_lib import layout
from tools.allinone_lib import steps

APT_LIST = os.path.join(layout.REPO, 'tools', 'deps', 'allinone-apt-packages.txt')
# PyMySQL: Keystone and Glance keep their data in MariaDB when it runs.
SERVICE_REQUIREMENTS = ['keystone', 'glance', 'python-openstackclient', 'osc-placement',
                        'python-novaclient', 'cheroot', 'PyMySQL']
_MARKER = '.allinone-requirements'


def _say(msg):
    print('allinone: %s' % msg, flush=True)


def apt_packages(with_libvirt=True, with_network=False, with_volumes=False):
    """[(package, optional)] from the list file.

    Packages tagged ``libvirt`` are left out when ``with_libvirt`` is false
    (``--virt fake`` needs no hypervisor), those tagged ``network`` unless
    ``with_network`` (``--network neutron``), those tagged ``volumes`` unless
    ``with_volumes`` (``--volumes ceph``).
    """
    result = []
    with open(APT_LIST) as f:
        for line in f:
            words = line.split('#')[0].split()
            if not words:
                continue
            if not with_libvirt and 'libvirt' in words[1:]:
                continue
            if not with_network and 'network' in words[1:]:
                continue
            if not with_volumes and 'volumes' in words[1:]:
                continue
            result.append((words[0], 'optional' in words[1:]))
    return result


def missing_apt_packages(packages):
    missing = []
    for pkg in packages:
        result = subprocess.run(['dpkg-query', '-W', '-f=${Status}', pkg],
                                capture_output=True, text=True)
        if 'install ok installed' not in result.stdout:
            missing.append(pkg)
    return missing


APT = ['apt-get', '-o', 'DPkg::Lock::Timeout=600', '-q', '-y']
APT_HINT = ('check that the Debian mirror in /etc/apt/sources.list* is reachable and that '
            'no other apt-get holds the lock, then run again')


def _apt_env():
    return dict(os.environ, DEBIAN_FRONTEND='noninteractive')


def ensure_apt_packages(with_libvirt=True, log_dir=None, with_network=False,
                        with_volumes=False):
    """Install the missing packages of the list; the required ones first."""
    if not shutil.which('dpkg-query'):
        _say('not a Debian system; skipping package installation')
        return
    log_dir = log_dir or layout.CACHE_DIR
    wanted = apt_packages(with_libvirt, with_network, with_volumes)
    missing = missing_apt_packages([name for name, _optional in wanted])
    if not missing:
        _say('Debian packages of %s: all installed' % os.path.relpath(APT_LIST, layout.REPO))
        return
    if os.geteuid() != 0:
        raise SystemExit('allinone: missing Debian packages %s; install them as root'
                         % ' '.join(missing))
    optional = {name for name, is_optional in wanted if is_optional}
    env = _apt_env()
    steps.run('apt-get update', APT + ['update'], APT_HINT, log_dir, env=env)
    required = [p for p in missing if p not in optional]
    if required:
        steps.run('install Debian packages: %s' % ' '.join(required),
                  APT + ['install', '--no-install-recommends'] + required, APT_HINT, log_dir,
                  env=env)
    for pkg in (p for p in missing if p in optional):
        steps.run('install Debian package %s (optional)' % pkg,
                  APT + ['install', '--no-install-recommends', pkg], APT_HINT, log_dir,
                  env=env, check=False)


def ensure_venv_support(log_dir):
    """python3-venv, for a virtualenv made before any other package is needed."""
    result = subprocess.run(['python3', '-c', 'import ensurepip, venv'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if result.returncode == 0 or not shutil.which('apt-get'):
        return
    env = _apt_env()
    steps.run('apt-get update', APT + ['update'], APT_HINT, log_dir, env=env)
    steps.run('install Debian packages: python3-venv',
              APT + ['install', '--no-install-recommends', 'python3-venv'], APT_HINT, log_dir,
              env=env)


def services_python():
    return os.path.join(layout.SERVICES_VENV, 'bin', 'python')


def services_bin(name):
    return os.path.join(layout.SERVICES_VENV, 'bin', name)


def ensure_services_venv(extras=()):
    """Create or reuse the Keystone/Glance/openstackclient virtualenv.

    ``extras`` (Neutron's requirements with ``--network neutron``) are added
    to it when missing; what is installed stays for every state directory.
    Several ``up`` calls (parallel test workers) may race on a cold cache; a
    lock file makes the later ones wait for the first and then reuse its work.
    """
    import fcntl
    os.makedirs(layout.CACHE_DIR, exist_ok=True)
    with open(os.path.join(layout.CACHE_DIR, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_services_venv(list(extras))


def _installed(marker):
    try:
        with open(marker) as f:
            return f.read().split('\n')
    except OSError:
        return []


def _ensure_services_venv(extras):
    marker = os.path.join(layout.SERVICES_VENV, _MARKER)
    installed = _installed(marker)
    base_done = installed[:len(SERVICE_REQUIREMENTS)] == SERVICE_REQUIREMENTS
    wanted = SERVICE_REQUIREMENTS + [r for r in extras if r not in SERVICE_REQUIREMENTS]
    if base_done and set(wanted) <= set(installed) and os.path.exists(services_python()):
        return False
    log_dir = layout.CACHE_DIR
    hint = ('check that PyPI is reachable (pip install) and that python3-venv, python3-dev '
            'and build-essential are installed; then run again')
    os.makedirs(layout.CACHE_DIR, exist_ok=True)
    if not os.path.exists(services_python()):
        base = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else 'python3'
        steps.run('create the services virtualenv %s' % layout.SERVICES_VENV,
                  [base, '-m', 'venv', layout.SERVICES_VENV], hint, log_dir)
    pip = [services_python(), '-m', 'pip', 'install', '--disable-pip-version-check']
    steps.run('install %s into %s (about a minute, once)'
              % (', '.join(wanted), layout.SERVICES_VENV),
              [pip + ['--upgrade', 'pip'], pip + wanted], hint, log_dir)
    keep = installed if base_done else []
    with open(marker, 'w') as f:
        f.write('\n'.join(wanted + [r for r in keep if r not in wanted]))
    return True
