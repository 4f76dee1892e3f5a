"""Tempest in its own virtualenv (cached under ~/.cache), a workspace per cloud,
and ``tempest run`` with the chosen tests and concurrency."""

import os
import subprocess
import sys
import time

TEMPEST_VERSION = '47.0.0'
CACHE_DIR = os.environ.get('NOVA_TEMPEST_CACHE') or os.path.join(
    os.path.expanduser('~'), '.cache', 'nova-tempest')
VENV = os.path.join(CACHE_DIR, 'venv')
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ALL_COMPUTE = r'^tempest\.api\.compute\.'
# Tempest's own smoke tag among the compute API tests, plus the classes that
# caught the project answering differently from upstream: a few minutes.
SMOKE = (r'^tempest\.api\.compute\.(.*\[.*\bsmoke\b.*\]'
         r'|servers\.test_list_server_filters\.'
         r'|admin\.test_aggregates_negative\.'
         r'|admin\.test_flavors\.FlavorsAdminTestJSON\.test_create_server_with_non_public'
         r'|admin\.test_quotas\.QuotaClassesAdminTestJSON\.'
         r'|admin\.test_simple_tenant_usage_negative\.'
         r'|images\.test_images_negative\.ImagesDeleteNegativeTestJSON\.)')


def bin_path(name):
    return os.path.join(VENV, 'bin', name)


def installed_version():
    try:
        out = subprocess.run([bin_path('python'), '-c',
                              'import importlib.metadata as m; print(m.version("tempest"))'],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.strip()


def ensure_tempest(say=print):
    """Install tempest ``TEMPEST_VERSION`` into the cached virtualenv unless it is there."""
    if installed_version() == TEMPEST_VERSION:
        return
    started = time.monotonic()
    say('installing tempest %s into %s' % (TEMPEST_VERSION, VENV))
    if not os.path.exists(bin_path('pip')):
        subprocess.run([sys.executable, '-m', 'venv', VENV], check=True)
    subprocess.run([bin_path('pip'), 'install', '-q', '--disable-pip-version-check',
                    'tempest==%s' % TEMPEST_VERSION], check=True)
    say('tempest installed (%.0fs)' % (time.monotonic() - started))


def ensure_workspace(path):
    """A tempest workspace (etc/, logs/, .stestr.conf) at ``path``."""
    if not os.path.exists(os.path.join(path, '.stestr.conf')):
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        subprocess.run([bin_path('tempest'), 'init', '--name', 'nova-%s' % abs(hash(path)),
                        path], check=True, capture_output=True)
    for sub in ('etc', 'logs', 'lock'):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    return os.path.join(path, 'etc', 'tempest.conf')


def run(workspace, regex, concurrency, exclude_regex=None, log_path=None, say=print):
    """Run tempest; its console output goes to ``log_path``.  Returns seconds taken."""
    cmd = [bin_path('tempest'), 'run', '--regex', regex, '--concurrency', str(concurrency)]
    if exclude_regex:
        cmd += ['--exclude-regex', exclude_regex]
    started = time.monotonic()
    say('running: %s  (output in %s)' % (' '.join(cmd), log_path))
    # Unbuffered: into a pipe, tempest's Python would hold its per-test lines
    # back until the run ends, and neither the log nor the progress would move.
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(cmd, cwd=workspace, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
        done = 0
        last = time.monotonic()
        for line in proc.stdout:
            log.write(line)
            if line.startswith('{') and '} tempest.' in line:  # '{0} tempest.api...'
                done += 1
                if time.monotonic() - last > 60:
                    say('%d tests done (%.0fs)' % (done, time.monotonic() - started))
                    last = time.monotonic()
        proc.wait()
    return time.monotonic() - started


def last_results(workspace):
    """[{id, status, details}] of the workspace's last run, read from its subunit stream."""
    import json
    stream = subprocess.run([bin_path('stestr'), 'last', '--subunit'], cwd=workspace,
                            capture_output=True, check=True).stdout
    env = dict(os.environ, PYTHONPATH=REPO)
    out = subprocess.run([bin_path('python'), '-m', 'tools.tempest_lib.subunit_reader'],
                         input=stream, capture_output=True, check=True, env=env, cwd=REPO)
    return json.loads(out.stdout)
