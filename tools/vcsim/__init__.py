"""nova-vcsim: govmomi's vCenter simulator, built from Debian's Go packages.

``ensure_binary()`` builds ``tools/vcsim/*.go`` offline (GOPATH mode against
``golang-github-vmware-govmomi-dev``) once per source version and caches the
binary under ``~/.cache/nova-vcsim``; ``Simulator`` runs one on a loopback
port with its datastores in a directory of the caller's. Several may run at
once. ``python -m tools.vcsim build|serve`` does either from a shell.
"""

import hashlib
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE_DIR = os.environ.get('NOVA_VCSIM_CACHE') or os.path.join(
    os.path.expanduser('~'), '.cache', 'nova-vcsim')
GO_PACKAGES = ('golang-go', 'golang-github-vmware-govmomi-dev')
GOPATH_SYSTEM = '/usr/share/gocode'
# The simulator accepts any user and password; these are what nova.conf says.
USERNAME = 'administrator@vsphere.local'
PASSWORD = 'vcsim'
CLUSTER = 'DC0_C0'
DATASTORE = 'LocalDS_0'


def _sources():
    return sorted(f for f in os.listdir(HERE) if f.endswith('.go'))


def _fingerprint():
    digest = hashlib.sha1()
    for name in _sources():
        with open(os.path.join(HERE, name), 'rb') as f:
            digest.update(name.encode() + b'\0' + f.read())
    return digest.hexdigest()[:12]


def binary_path():
    return os.path.join(CACHE_DIR, 'nova-vcsim-%s' % _fingerprint())


def _ensure_go_packages(log):
    if shutil.which('go') and os.path.isdir(
            os.path.join(GOPATH_SYSTEM, 'src', 'github.com', 'vmware', 'govmomi')):
        return
    if os.geteuid() != 0:
        raise RuntimeError('nova-vcsim needs the Debian packages %s' % ' '.join(GO_PACKAGES))
    log('installing %s' % ' '.join(GO_PACKAGES))
    apt = ['apt-get', '-o', 'DPkg::Lock::Timeout=600']
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    if subprocess.run(apt + ['install', '-y', '--no-install-recommends', *GO_PACKAGES],
                      env=env, capture_output=True).returncode != 0:
        subprocess.run(apt + ['update'], env=env, capture_output=True)
        subprocess.run(apt + ['install', '-y', '--no-install-recommends', *GO_PACKAGES],
                       env=env, check=True, capture_output=True)


def ensure_binary(log=lambda msg: None):
    """The path of a built nova-vcsim for the current sources (built if missing)."""
    target = binary_path()
    if os.path.exists(target):
        return target
    _ensure_go_packages(log)
    os.makedirs(CACHE_DIR, exist_ok=True)
    started = time.monotonic()
    log('building nova-vcsim (Go, offline; about 20 s the first time)')
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as gopath:
        src = os.path.join(gopath, 'src', 'novavcsim')
        os.makedirs(src)
        for name in _sources():
            shutil.copy(os.path.join(HERE, name), src)
        env = dict(os.environ, GO111MODULE='off', GOFLAGS='',
                   GOPATH='%s:%s' % (gopath, GOPATH_SYSTEM),
                   GOCACHE=os.path.join(CACHE_DIR, 'gocache'))
        partial = target + '.partial'
        result = subprocess.run(['go', 'build', '-o', partial, '.'], cwd=src, env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError('building nova-vcsim failed:\n%s' % result.stderr)
        os.replace(partial, target)
    log('built %s in %.1fs' % (target, time.monotonic() - started))
    return target


class Simulator(object):
    """One nova-vcsim process on 127.0.0.1:``port``; datastores under ``state_dir``."""

    def __init__(self, port, state_dir, hosts=3, datastores=1):
        self.port = port
        self.state_dir = state_dir
        self.hosts = hosts
        self.datastores = datastores
        self.process = None

    @property
    def url(self):
        return 'https://127.0.0.1:%d' % self.port

    @property
    def cert_file(self):
        """The server's certificate (PEM), for ``[vmware] ca_file``."""
        return os.path.join(self.state_dir, 'nova-vcsim.pem')

    @property
    def log_path(self):
        return os.path.join(self.state_dir, 'nova-vcsim.log')

    def command(self, binary):
        return [binary, '-listen', '127.0.0.1:%d' % self.port, '-hosts', str(self.hosts),
                '-datastores', str(self.datastores), '-cert-file', self.cert_file]

    def environment(self):
        """Where its datastore directories go ($TMPDIR of the process)."""
        datastores = os.path.join(self.state_dir, 'datastores')
        os.makedirs(datastores, exist_ok=True)
        return dict(os.environ, TMPDIR=datastores)

    def start(self, timeout=30):
        binary = ensure_binary()
        os.makedirs(self.state_dir, exist_ok=True)
        if os.path.exists(self.cert_file):
            os.unlink(self.cert_file)
        with open(self.log_path, 'ab') as log:
            self.process = subprocess.Popen(self.command(binary), stdout=log,
                                            stderr=subprocess.STDOUT, env=self.environment(),
                                            start_new_session=True)
        try:
            wait_serving(self.url, timeout, alive=lambda: self.process.poll() is None,
                         cert_file=self.cert_file)
        except Exception:
            self.stop()  # never leave a simulator nobody will stop
            raise
        return self

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def running(self):
        return self.process is not None and self.process.poll() is None

    # --- test knobs (served by main.go) ---------------------------------------
    def _post(self, path, **form):
        data = urllib.parse.urlencode(form).encode()
        with urllib.request.urlopen(self.url + path, data=data, timeout=10,
                                    context=_ssl_context(self.cert_file)) as resp:
            resp.read()

    def inject_fault(self, method, message, kind='SystemError', count=1):
        """The next ``count`` calls of ``method`` return a task failed with ``kind``."""
        self._post('/nova-vcsim/fault', method=method, kind=kind, message=message,
                   count=count)

    def delay(self, method, seconds):
        """Calls of ``method`` take ``seconds`` more (0 removes the delay)."""
        self._post('/nova-vcsim/delay', method=method, ms=int(seconds * 1000))


def _ssl_context(cert_file):
    return ssl.create_default_context(cafile=cert_file)


def wait_serving(url, timeout, alive=lambda: True, cert_file=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError('nova-vcsim exited before serving %s' % url)
        if cert_file and not os.path.exists(cert_file):
            time.sleep(0.1)
            continue
        try:
            with urllib.request.urlopen(url + '/about', timeout=2,
                                        context=_ssl_context(cert_file)) as resp:
                resp.read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('nova-vcsim did not serve %s within %ss' % (url, timeout))
