"""Cinder for the all-in-one (``up --volumes ceph``): the real cinder-api,
cinder-scheduler and cinder-volume from PyPI with the RBD driver on the
cloud's own Ceph cluster (tools/allinone_lib/ceph.py), its MariaDB database,
the cloud's RabbitMQ vhost, its Keystone user and the ``volumev3`` and
``block-storage`` catalog entries, and the nova.conf sections Nova reads.

Cinder lives in a virtualenv of its own (``cinder-venv`` in the cache
directory) built on Debian's ``/usr/bin/python3``: there are no ``rados`` or
``rbd`` wheels on PyPI, so Debian's python3-rados and python3-rbd modules are
linked into it.
"""

import fcntl
import glob
import os
import subprocess

from tools import authtoken
from tools.allinone_lib import ceph
from tools.allinone_lib import layout
from tools.allinone_lib import nova
from tools.allinone_lib import procs
from tools.allinone_lib import steps

API, SCHEDULER, VOLUME = 'cinder-api', 'cinder-scheduler', 'cinder-volume'
DAEMONS = (API, SCHEDULER, VOLUME)
DB_SUFFIX = 'cinder'
VENV = os.path.join(layout.CACHE_DIR, 'cinder-venv')
REQUIREMENTS = ['cinder', 'PyMySQL']
DEBIAN_MODULES = ('rados', 'rbd')
BACKEND = 'ceph'
_MARKER = '.allinone-requirements'

CINDER_CONF = """[DEFAULT]
auth_strategy = keystone
transport_url = {transport_url}
host = {host}
my_ip = 127.0.0.1
state_path = {data}
log_dir = {log_dir}
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = {port}
osapi_volume_workers = 1
enabled_backends = {backend}
default_volume_type = __DEFAULT__
glance_api_servers = {glance_url}
rootwrap_config = {conf_dir}/rootwrap.conf
api_paste_config = {venv}/etc/cinder/api-paste.ini
# one OSD on a sparse file: no thin-provisioning ratio games
allow_availability_zone_fallback = true

[database]
connection = {db_url}

[oslo_concurrency]
lock_path = {data}/lock

[oslo_messaging_notifications]
driver = noop

[nova]
region_name = {region}
interface = public
{nova_auth}
[service_user]
send_service_user_token = true
{service_auth}
{keystone}
# Already root: privsep daemons start without sudo and rootwrap (sudo's PATH
# would not find the virtualenv's cinder-rootwrap).
[cinder_sys_admin]
helper_command = {venv}/bin/privsep-helper --config-file {conf_file}

[privsep_osbrick]
helper_command = {venv}/bin/privsep-helper --config-file {conf_file}

[{backend}]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
volume_backend_name = {backend}
rbd_pool = volumes
rbd_ceph_conf = {ceph_conf}
rbd_user = {rbd_user}
rbd_secret_uuid = {secret_uuid}
rbd_flatten_volume_from_snapshot = false
rbd_max_clone_depth = 5
report_discard_supported = true
"""

ROOTWRAP_CONF = """[DEFAULT]
filters_path = {venv}/etc/cinder/rootwrap.d
exec_dirs = {venv}/bin,/sbin,/usr/sbin,/bin,/usr/bin,/usr/local/bin,/usr/local/sbin
use_syslog = False
"""

# Cinder only lets a service delete an attachment Nova made (a user token alone
# gets 409 ConflictNovaUsingAttachment): Nova sends its service token along.
NOVA_SECTIONS = """
[cinder]
os_region_name = {region}
catalog_info = volumev3::publicURL
{auth}
[service_user]
send_service_user_token = true
{auth}"""

# Lines of nova.conf's [libvirt] (tools/allinone_lib/virt.py writes the group):
# QEMU logs in to Ceph for RBD volumes as this user with the key in this secret.
NOVA_LIBVIRT_RBD = """rbd_user = {rbd_user}
rbd_secret_uuid = {secret_uuid}
"""


def conf_dir(state):
    return state.sub('etc', 'cinder')


def conf_file(state):
    return os.path.join(conf_dir(state), 'cinder.conf')


def data_dir(state):
    return state.sub('cinder')


def venv_bin(name):
    return os.path.join(VENV, 'bin', name)


def enabled(state):
    return state.settings.get('volumes') == 'ceph'


# --- install -----------------------------------------------------------------------

def ensure_venv(log_dir=None):
    """Create or reuse the cinder virtualenv (once per machine, a lock for racers)."""
    os.makedirs(layout.CACHE_DIR, exist_ok=True)
    with open(os.path.join(layout.CACHE_DIR, '.cinder-lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = os.path.join(VENV, _MARKER)
        if os.path.exists(marker) and os.path.exists(venv_bin('cinder-volume')):
            _link_debian_modules()
            return False
        log_dir = log_dir or layout.CACHE_DIR
        hint = ('check that PyPI is reachable and that python3-venv, python3-dev and '
                'build-essential are installed; then run again')
        if not os.path.exists(venv_bin('python')):
            # Debian's Python: its rados/rbd extension modules are built for it.
            steps.run('create the cinder virtualenv %s' % VENV,
                      ['/usr/bin/python3', '-m', 'venv', VENV], hint, log_dir)
        pip = [venv_bin('python'), '-m', 'pip', 'install', '--disable-pip-version-check']
        steps.run('install %s into %s (about a minute, once)' % (', '.join(REQUIREMENTS),
                                                                 VENV),
                  [pip + ['--upgrade', 'pip'], pip + REQUIREMENTS], hint, log_dir)
        _link_debian_modules()
        with open(marker, 'w') as f:
            f.write('\n'.join(REQUIREMENTS))
        return True


def _site_packages():
    return glob.glob(os.path.join(VENV, 'lib', 'python3*', 'site-packages'))[0]


def _link_debian_modules():
    for module in DEBIAN_MODULES:
        found = glob.glob('/usr/lib/python3/dist-packages/%s.cpython-*.so' % module)
        if not found:
            raise RuntimeError('python3-%s is not installed (Debian package); install it '
                               'and run again' % module)
        target = os.path.join(_site_packages(), os.path.basename(found[0]))
        if not os.path.lexists(target):
            os.symlink(found[0], target)


# --- configuration -------------------------------------------------------------------

def database_name(state):
    return nova.mysql_database_name(state, DB_SUFFIX)


def database_url(state):
    return nova.mysql_database_url(state, DB_SUFFIX)


def write_config(state):
    os.makedirs(conf_dir(state), exist_ok=True)
    os.makedirs(os.path.join(data_dir(state), 'lock'), exist_ok=True)
    text = CINDER_CONF.format(
        transport_url=nova.transport_url(state), host=nova.host_name(state),
        data=data_dir(state), log_dir=state.log_dir, port=state.port('cinder'),
        backend=BACKEND, glance_url=state.url('glance'), conf_dir=conf_dir(state),
        venv=VENV, db_url=database_url(state), region=layout.REGION,
        nova_auth=nova.password_auth(state, 'cinder'),
        service_auth=nova.password_auth(state, 'cinder'),
        keystone=authtoken.keystone_authtoken_section(state.url('keystone'), 'cinder',
                                                       state.settings['password']),
        ceph_conf=ceph.conf_path(state), rbd_user=ceph.CLIENT,
        secret_uuid=ceph.settings(state)['secret_uuid'], conf_file=conf_file(state))
    with open(conf_file(state), 'w') as f:
        f.write(text)
    with open(os.path.join(conf_dir(state), 'rootwrap.conf'), 'w') as f:
        f.write(ROOTWRAP_CONF.format(venv=VENV))


def nova_conf_sections(state):
    """nova.conf's [cinder] section for this cloud ('' without volumes)."""
    if not enabled(state):
        return ''
    return NOVA_SECTIONS.format(region=layout.REGION, auth=nova.password_auth(state, 'nova'))


def nova_libvirt_options(state):
    """The Ceph lines of nova.conf's [libvirt] ('' without volumes)."""
    if not enabled(state):
        return ''
    return NOVA_LIBVIRT_RBD.format(rbd_user=ceph.CLIENT,
                                   secret_uuid=ceph.settings(state)['secret_uuid'])


# --- database ----------------------------------------------------------------------

def setup_database(state, say):
    if state.settings.get('cinder_db_synced'):
        return False
    if state.settings.get('db_backend') != 'mysql':
        raise RuntimeError('--volumes ceph needs MariaDB on 127.0.0.1:3306')
    name = database_name(state)
    nova.mysql('DROP DATABASE IF EXISTS `%s`' % name)
    nova.mysql('CREATE DATABASE `%s` CHARACTER SET utf8mb4' % name)
    result = subprocess.run([venv_bin('cinder-manage'), '--config-file', conf_file(state),
                             'db', 'sync'], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError('cinder-manage db sync failed:\n%s'
                           % (result.stdout + result.stderr)[-3000:])
    state.settings['cinder_db_synced'] = True
    state.save()
    say('cinder database %s ready' % name)
    return True


def drop_database(state):
    if state.settings.get('db_backend') == 'mysql' and enabled(state):
        nova.mysql('DROP DATABASE IF EXISTS `%s`' % database_name(state))


# --- Keystone ----------------------------------------------------------------------

CATALOG = (('cinderv3', 'volumev3'), ('cinder', 'block-storage'))


def register(state):
    """The cinder service user (admin, service) and the volumev3/block-storage endpoints."""
    from tools.allinone_lib import keystone
    client = keystone.Client(state.url('keystone'), state.settings['password'])
    project = client.find('projects', name='service', domain_id='default')
    user = client.ensure('users', 'user', {'name': 'cinder', 'domain_id': 'default',
                                           'password': state.settings['password'],
                                           'default_project_id': project['id']},
                         name='cinder', domain_id='default')
    for role_name in ('admin', 'service'):
        role = client.ensure('roles', 'role', {'name': role_name}, name=role_name)
        client.grant(project['id'], user['id'], role['id'])
    url = state.url('cinder') + '/v3/%(project_id)s'
    for name, service_type in CATALOG:
        service = client.ensure('services', 'service', {'name': name, 'type': service_type,
                                                        'description': 'Block Storage'},
                                type=service_type)
        for interface in ('public', 'internal', 'admin'):
            if not client.find('endpoints', service_id=service['id'], interface=interface):
                client.call('POST', '/endpoints', {'endpoint': {
                    'service_id': service['id'], 'interface': interface, 'url': url,
                    'region_id': layout.REGION}})


# --- daemons -----------------------------------------------------------------------

def _env():
    # cinder-rootwrap (qemu-img for images made into volumes) from the venv
    return dict(os.environ, PATH=os.path.join(VENV, 'bin') + ':' + os.environ.get('PATH', ''))


def start(state, say):
    write_config(state)
    setup_database(state, say)
    if not state.settings.get('cinder_registered'):
        register(state)
        state.settings['cinder_registered'] = True
        state.save()
    start_daemons(state, DAEMONS)
    say('cinder serving on %s (RBD backend %s)' % (state.url('cinder'), BACKEND))


def start_daemons(state, names):
    """Start the Cinder daemons ``names`` (those not running) and wait until
    they serve: the API answers, the volume service has reported its pool."""
    pids = {}
    for name in names:
        pids[name], _ = procs.start(state, name, [venv_bin(name), '--config-file',
                                                  conf_file(state)],
                                    env=_env(), cwd=data_dir(state), marker=conf_file(state))
    if API in pids:
        procs.wait_serving(state, API, pids[API], state.url('cinder'), timeout=120)
    if VOLUME in pids:
        procs.wait_for(lambda: backend_pools(state), 120, 'cinder-volume reporting its pool',
                       interval=1, alive=lambda: procs.running_pid(state, VOLUME))
    return pids


def backend_pools(state):
    """The pools the scheduler knows (GET scheduler-stats/get_pools as admin): a
    volume created before cinder-volume reported its pool finds no backend."""
    import json
    import urllib.request
    from tools.allinone_lib import keystone
    try:
        admin = keystone.Client(state.url('keystone'), state.settings['password'])
        project = admin.find('projects', name='admin', domain_id='default')
        req = urllib.request.Request('%s/v3/%s/scheduler-stats/get_pools' % (
            state.url('cinder'), project['id']), headers={'X-Auth-Token': admin.token})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read()).get('pools')
    except (OSError, ValueError):
        return None


def stop(state, say):
    for name in reversed(DAEMONS):
        pid = procs.stop(state, name)
        if pid:
            say('stopped %s (pid %d)' % (name, pid))
