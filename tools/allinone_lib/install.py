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

APT_LIST = os.path.join(layout.REPO, 'tools', 'deps', 'allinone-apt-packages.txt')
SERVICE_REQUIREMENTS = ['keystone', 'glance', 'python-openstackclient', 'osc-placement',
                        'python-novaclient', 'cheroot']
_MARKER = '.allinone-requirements'


def _say(msg):
    print('allinone: %s' % msg, flush=True)


def apt_packages(with_libvirt=True):
    """[(package, optional)] from the list file.

    Packages tagged ``libvirt`` are left out when ``with_libvirt`` is false
    (``--virt fake`` needs no hypervisor).
    """
    result = []
    with open(APT_LIST) as f:
        for line in f:
            words = line.split('#')[0].split()
            if words and (with_libvirt or 'libvirt' not in words[1:]):
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


def ensure_apt_packages(with_libvirt=True):
    if not shutil.which('dpkg-query'):
        _say('not a Debian system; skipping package installation')
        return
    wanted = apt_packages(with_libvirt)
    missing = missing_apt_packages([name for name, _optional in wanted])
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit('allinone: missing Debian packages %s; install them as root'
                         % ' '.join(missing))
    optional = {name for name, is_optional in wanted if is_optional}
    _say('installing Debian packages: %s' % ' '.join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    apt = ['apt-get', '-o', 'DPkg::Lock::Timeout=600', '-q', '-y']
    subprocess.run(apt + ['update'], check=True, env=env, stdout=subprocess.DEVNULL)
    required = [p for p in missing if p not in optional]
    if required:
        subprocess.run(apt + ['install', '--no-install-recommends'] + required, check=True,
                       env=env, stdout=subprocess.DEVNULL)
    for pkg in (p for p in missing if p in optional):
        result = subprocess.run(apt + ['install', '--no-install-recommends', pkg], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            _say('warning: could not install %s (carrying on without it): %s'
                 % (pkg, result.stderr.strip()[-200:]))


def services_python():
    return os.path.join(layout.SERVICES_VENV, 'bin', 'python')


def services_bin(name):
    return os.path.join(layout.SERVICES_VENV, 'bin', name)


def ensure_services_venv():
    """Create or reuse the Keystone/Glance/openstackclient virtualenv.

    Several ``up`` calls (parallel test workers) may race on a cold cache; a
    lock file makes the later ones wait for the first and then reuse its work.
    """
    import fcntl
    os.makedirs(layout.CACHE_DIR, exist_ok=True)
    with open(os.path.join(layout.CACHE_DIR, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_services_venv()


def _ensure_services_venv():
    marker = os.path.join(layout.SERVICES_VENV, _MARKER)
    wanted = '\n'.join(SERVICE_REQUIREMENTS)
    if os.path.exists(marker) and open(marker).read() == wanted and \
            os.path.exists(services_python()):
        return False
    _say('installing %s into %s (about a minute, once)'
         % (', '.join(SERVICE_REQUIREMENTS), layout.SERVICES_VENV))
    os.makedirs(layout.CACHE_DIR, exist_ok=True)
    if not os.path.exists(services_python()):
        base = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else 'python3'
        subprocess.run([base, '-m', 'venv', layout.SERVICES_VENV], check=True)
    pip = [services_python(), '-m', 'pip', '-q', 'install', '--disable-pip-version-check']
    subprocess.run(pip + ['--upgrade', 'pip'], check=True)
    subprocess.run(pip + SERVICE_REQUIREMENTS, check=True)
    with open(marker, 'w') as f:
        f.write(wanted)
    return True
