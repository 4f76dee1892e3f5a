"""Neutron for the all-in-one (``up --network neutron``): the real server from
PyPI with ML2/OVN, its MariaDB database, the OVN metadata agent, its Keystone
user and catalog entry, and the nova.conf sections Nova's side reads.

The server is a WSGI application served like Keystone and Glance
(``tools.allinone_lib.serve_wsgi``); it runs one API worker, which also
handles OVN's events (a port whose OVS interface appears goes ACTIVE).
"""

import glob
import os
import secrets
import signal
import subprocess
import time

from tools import authtoken
from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import nova
from tools.allinone_lib import ovn
from tools.allinone_lib import procs

SERVER = 'neutron-server'
METADATA_AGENT = 'neutron-ovn-metadata-agent'
DAEMONS = (SERVER, METADATA_AGENT)
DB_SUFFIX = 'neutron'
REQUIREMENTS = ['neutron', 'PyMySQL']

NEUTRON_CONF = """[DEFAULT]
core_plugin = ml2
service_plugins = ovn-router
auth_strategy = {auth_strategy}
bind_host = 127.0.0.1
bind_port = {port}
host = {host}
state_path = {data}
log_file = {log_dir}/neutron-server.log
api_paste_config = {paste}
transport_url = {transport_url}
notify_nova_on_port_status_changes = {notify_nova}
notify_nova_on_port_data_changes = {notify_nova}
# one cloud, one tenant network type: routers get no HA
l3_ha = false
dns_domain = openstacklocal.
{extra_default}
[database]
connection = {db_url}

[oslo_concurrency]
lock_path = {data}/lock

[oslo_messaging_notifications]
driver = noop
{nova_and_keystone}"""

# Neutron's [nova] (port events sent to Nova) and [keystone_authtoken].
KEYSTONE_SECTIONS = """
[nova]
region_name = {region}
{nova_auth}
{keystone}"""

ML2_CONF = """[ml2]
type_drivers = local,flat,vlan,geneve
tenant_network_types = geneve
mechanism_drivers = ovn
extension_drivers = port_security,dns
overlay_ip_version = 4

[ml2_type_geneve]
vni_ranges = 1:65536
max_header_size = 38

[ml2_type_flat]
flat_networks = {physnet}

[securitygroup]
enable_security_group = true

[ovn]
ovn_nb_connection = {nb}
ovn_sb_connection = {sb}
ovn_metadata_enabled = true
enable_distributed_floating_ip = false

[ovs]
integration_bridge = {int_bridge}
"""

METADATA_CONF = """[DEFAULT]
state_path = {data}
log_file = {log_dir}/neutron-ovn-metadata-agent.log
nova_metadata_host = 127.0.0.1
nova_metadata_port = {metadata_port}
metadata_proxy_shared_secret = {secret}
metadata_workers = 1

[agent]
# already root: privsep helpers and commands run through env, not sudo
root_helper = env PATH={path}
root_helper_daemon =

[ovs]
ovsdb_connection = {ovs}
integration_bridge = {int_bridge}

[ovn]
ovn_sb_connection = {sb}
"""

NOVA_SECTIONS = """
[neutron]
region_name = {region}
{auth}service_metadata_proxy = true
metadata_proxy_shared_secret = {secret}
ovs_bridge = {int_bridge}
default_floating_pool = public

[os_vif_ovs]
ovsdb_connection = {ovs}
"""


def conf_dir(state):
    return state.sub('etc', 'neutron')


def data_dir(state):
    return state.sub('neutron')


def conf_files(state):
    return [os.path.join(conf_dir(state), name) for name in ('neutron.conf', 'ml2_conf.ini')]


def metadata_conf(state):
    return os.path.join(conf_dir(state), 'ovn_metadata_agent.ini')


def metadata_secret(state):
    if not state.settings.get('metadata_secret'):
        state.settings['metadata_secret'] = secrets.token_hex(16)
        state.save()
    return state.settings['metadata_secret']


def database_name(state):
    return nova.mysql_database_name(state, DB_SUFFIX)


def database_url(state):
    return nova.mysql_database_url(state, DB_SUFFIX)


def write_config(state, noauth=False, transport_url=None, extra_default=''):
    """neutron.conf, ml2_conf.ini and the metadata agent's file in etc/neutron.

    ``noauth`` (the functional tier's Neutron, tests/fixtures/neutron.py):
    no Keystone, every caller is Neutron's admin, and no events go to Nova;
    ``transport_url`` then replaces the cloud's vhost and ``extra_default``
    lines are added to [DEFAULT].
    """
    os.makedirs(conf_dir(state), exist_ok=True)
    os.makedirs(os.path.join(data_dir(state), 'tmp'), exist_ok=True)
    int_br, _ex_br = ovn.bridges(state)
    paste = os.path.join(layout.SERVICES_VENV, 'etc', 'neutron', 'api-paste.ini')
    sections = '' if noauth else KEYSTONE_SECTIONS.format(
        region=layout.REGION, nova_auth=nova.password_auth(state, 'nova'),
        keystone=authtoken.keystone_authtoken_section(
            state.url('keystone'), 'neutron', state.settings['password']))
    server = NEUTRON_CONF.format(
        port=state.port('neutron'), host=nova.host_name(state), data=data_dir(state),
        log_dir=state.log_dir, paste=paste,
        transport_url=transport_url or nova.transport_url(state),
        db_url=database_url(state), auth_strategy='noauth' if noauth else 'keystone',
        notify_nova='false' if noauth else 'true', extra_default=extra_default,
        nova_and_keystone=sections)
    ml2 = ML2_CONF.format(physnet=ovn.PHYSNET, nb=ovn.ovn_connection(state, 'nb'),
                          sb=ovn.ovn_connection(state, 'sb'), int_bridge=int_br)
    path = ':'.join([os.path.join(layout.SERVICES_VENV, 'bin'), '/usr/local/sbin',
                     '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])
    agent = METADATA_CONF.format(data=data_dir(state), log_dir=state.log_dir,
                                 metadata_port=state.port('nova-metadata'),
                                 secret=metadata_secret(state), path=path,
                                 ovs=ovn.ovs_connection(state), int_bridge=int_br,
                                 sb=ovn.ovn_connection(state, 'sb'))
    for name, text in (('neutron.conf', server), ('ml2_conf.ini', ml2),
                       ('ovn_metadata_agent.ini', agent)):
        with open(os.path.join(conf_dir(state), name), 'w') as f:
            f.write(text)


def nova_conf_sections(state):
    """nova.conf's [neutron] and [os_vif_ovs] for this cloud ('' without Neutron)."""
    if state.settings.get('network') != 'neutron':
        return ''
    return NOVA_SECTIONS.format(region=layout.REGION, auth=nova.password_auth(state, 'nova'),
                                secret=metadata_secret(state),
                                int_bridge=ovn.bridges(state)[0],
                                ovs=ovn.ovs_connection(state))


# --- database ----------------------------------------------------------------------

def neutron_version():
    found = glob.glob(os.path.join(layout.SERVICES_VENV, 'lib', 'python3*', 'site-packages',
                                   'neutron-*.dist-info'))
    return os.path.basename(found[0])[len('neutron-'):-len('.dist-info')] if found else None


def _schema_cache():
    version = neutron_version()
    return os.path.join(layout.CACHE_DIR, 'neutron-%s-schema.sql' % version) \
        if version else None


def setup_database(state, say):
    """Create and migrate the database once.

    Neutron's migrations take most of a minute on MariaDB; the schema they
    leave is dumped into the cache directory and loaded by later clouds.
    """
    if state.settings.get('neutron_db_synced'):
        return False
    nova.database_urls(state)  # chooses the backend at the first up
    if state.settings.get('db_backend') != 'mysql':
        raise RuntimeError('--network neutron needs MariaDB on 127.0.0.1:3306 (Neutron\'s '
                           'migrations do not run on SQLite)')
    name = database_name(state)
    nova.mysql('DROP DATABASE IF EXISTS `%s`' % name)
    nova.mysql('CREATE DATABASE `%s` CHARACTER SET utf8mb4' % name)
    cache = _schema_cache()
    if cache and os.path.exists(cache):
        with open(cache, 'rb') as f:
            subprocess.run(['mysql', '-h', '127.0.0.1', '-u', 'root', name], stdin=f,
                           check=True, capture_output=True)
        say('neutron database loaded from %s' % cache)
    else:
        cmd = [install.services_bin('neutron-db-manage')]
        for path in conf_files(state):
            cmd += ['--config-file', path]
        result = subprocess.run(cmd + ['upgrade', 'heads'], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError('neutron-db-manage upgrade heads failed:\n%s'
                               % (result.stdout + result.stderr)[-3000:])
        if cache:
            _dump_schema(name, cache)
    state.settings['neutron_db_synced'] = True
    state.save()
    return True


def _dump_schema(name, cache):
    tmp = '%s.%d.tmp' % (cache, os.getpid())
    with open(tmp, 'wb') as f:
        result = subprocess.run(['mysqldump', '-h', '127.0.0.1', '-u', 'root',
                                 '--skip-comments', '--skip-dump-date', name], stdout=f,
                                stderr=subprocess.PIPE)
    if result.returncode == 0:
        os.replace(tmp, cache)
    else:
        os.unlink(tmp)


def drop_database(state):
    if state.settings.get('db_backend') == 'mysql':
        nova.mysql('DROP DATABASE IF EXISTS `%s`' % database_name(state))


def network_ids(state):
    """Ids of this cloud's networks, from its database ([] when there is none)."""
    try:
        rows = nova.mysql('SELECT id FROM `%s`.networks' % database_name(state))
    except Exception:
        return []
    return [row[0] for row in rows]


# --- Keystone ----------------------------------------------------------------------

def register(state):
    """The neutron service user (admin, service) and the ``network`` endpoints."""
    from tools.allinone_lib import keystone
    client = keystone.Client(state.url('keystone'), state.settings['password'])
    project = client.find('projects', name='service', domain_id='default')
    user = client.ensure('users', 'user', {'name': 'neutron', 'domain_id': 'default',
                                           'password': state.settings['password'],
                                           'default_project_id': project['id']},
                         name='neutron', domain_id='default')
    for role_name in ('admin', 'service'):
        role = client.ensure('roles', 'role', {'name': role_name}, name=role_name)
        client.grant(project['id'], user['id'], role['id'])
    service = client.ensure('services', 'service', {'name': 'neutron', 'type': 'network',
                                                    'description': 'Networking'},
                            type='network')
    for interface in ('public', 'internal', 'admin'):
        if not client.find('endpoints', service_id=service['id'], interface=interface):
            client.call('POST', '/endpoints', {'endpoint': {
                'service_id': service['id'], 'interface': interface,
                'url': state.url('neutron'), 'region_id': layout.REGION}})


# --- daemons -----------------------------------------------------------------------

def _server_env(state):
    tmp = os.path.join(data_dir(state), 'tmp')
    # Neutron keys its start-time file by its parent's pid in the temporary
    # directory; ours is re-parented to init, so each cloud gets its own.
    for stale in glob.glob(os.path.join(tmp, 'neutron_*')):
        os.unlink(stale)
    return dict(os.environ, TMPDIR=tmp, ASGI_WORKERS='1',
                OS_NEUTRON_CONFIG_FILES='neutron.conf;ml2_conf.ini')


def server_command(state):
    return [install.services_python(), '-m', 'tools.allinone_lib.serve_wsgi',
            '--app', 'neutron.wsgi.api:application', '--port', str(state.port('neutron')),
            '--config-env', 'OS_NEUTRON_CONFIG_DIR=%s' % conf_dir(state)]


def start_server(state):
    """Start neutron-server (its config and database ready); its pid."""
    pid, _ = procs.start(state, SERVER, server_command(state), env=_server_env(state),
                         cwd=layout.REPO, marker='neutron.wsgi.api:application')
    return pid


def start(state, say):
    write_config(state)
    setup_database(state, say)
    pid = start_server(state)
    agent = [install.services_bin(METADATA_AGENT)]
    for path in conf_files(state)[:1] + [metadata_conf(state)]:
        agent += ['--config-file', path]
    procs.start(state, METADATA_AGENT, agent, cwd=data_dir(state),
                marker=metadata_conf(state))
    procs.wait_serving(state, SERVER, pid, state.url('neutron'), timeout=180)


def _netns_names():
    out = subprocess.run(['ip', 'netns', 'list'], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def _kill_pids(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(os.path.exists('/proc/%d' % p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _privsep_pids(state):
    """The metadata agent's privsep daemons (their command lines name its config)."""
    conf = metadata_conf(state)
    return [pid for pid, argv in procs.all_argvs()
            if 'privsep-helper' in '\0'.join(argv) and conf in '\0'.join(argv)]


def remove_namespaces(state, say):
    """The metadata namespaces of this cloud's networks, with their haproxies."""
    ours = {'ovnmeta-%s' % net for net in network_ids(state)}
    for name in _netns_names():
        if name not in ours:
            continue
        out = subprocess.run(['ip', 'netns', 'pids', name], capture_output=True,
                             text=True).stdout
        _kill_pids([int(p) for p in out.split() if p.isdigit()])
        subprocess.run(['ip', 'netns', 'delete', name], capture_output=True)
        say('removed network namespace %s' % name)


def stop(state, say):
    for name in (METADATA_AGENT, SERVER):
        pid = procs.stop(state, name)
        if pid:
            say('stopped %s (pid %d)' % (name, pid))
    _kill_pids(_privsep_pids(state))
    remove_namespaces(state, say)
