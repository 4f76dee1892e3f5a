"""Nova for the all-in-one: databases, nova.conf, nova-manage, the daemons."""

import os
import socket
import subprocess
import sys
import time

from tools.allinone_lib import layout
from tools.allinone_lib import procs
from tools.allinone_lib import virt

DAEMONS = ('nova-conductor', 'nova-scheduler', 'nova-compute', 'nova-api')
MYSQL_ROOT = 'mysql+pymysql://root@127.0.0.1:3306/'
# Keystone, Placement and Glance keep their data beside nova's: on MariaDB
# each serves concurrent requests; SQLite would make concurrent writers fail.
DB_SUFFIXES = ('nova_api', 'nova_cell0', 'nova_cell1', 'placement', 'keystone', 'glance')
NOT_BUILT = 'not available in this release yet'

NOVA_CONF = """[DEFAULT]
host = {host}
transport_url = {transport_url}
state_path = {state_path}
log_dir = {log_dir}
compute_driver = {compute_driver}
instance_name_template = {instance_name_template}
instance_build_timeout = {build_timeout}
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = {api_port}
metadata_listen = 127.0.0.1
metadata_listen_port = {metadata_port}
osapi_compute_workers = 1
metadata_workers = 1
{same_host}
[api]
auth_strategy = {auth_strategy}

[api_database]
connection = {api_db}

[database]
connection = {cell1_db}

[scheduler]
discover_hosts_in_cells_interval = 30

[oslo_concurrency]
lock_path = {state_path}/lock

[placement]
region_name = {region}
{placement_auth}
[glance]
region_name = {region}
endpoint_override = {glance_url}
{glance_auth}
[keystone_authtoken]
{authtoken}
[oslo_messaging_notifications]
driver = noop
{virt_sections}"""

PASSWORD_AUTH = """auth_type = password
auth_url = {auth_url}
project_domain_name = Default
user_domain_name = Default
project_name = service
username = {username}
password = {password}
"""


def password_auth(state, username):
    """A keystoneauth password section for a service user of this cloud."""
    return PASSWORD_AUTH.format(auth_url=state.url('keystone'), username=username,
                                password=state.settings['password'])


def mysql_database_name(state, suffix):
    return state.settings['db_prefix'] + suffix


def mysql_database_url(state, suffix):
    """A service that runs only on MariaDB (Neutron, Cinder): its database's URL."""
    return '%s%s?charset=utf8' % (MYSQL_ROOT, mysql_database_name(state, suffix))


def python_bin(name):
    """A console script of the project's virtualenv (the one running us)."""
    return os.path.join(os.path.dirname(sys.executable), name)


def mariadb_available():
    try:
        import pymysql
        pymysql.connect(host='127.0.0.1', port=3306, user='root', connect_timeout=2).close()
        return True
    except Exception:
        return False


def db_suffixes(state):
    """Every database of the deployment: the fixed ones and one per cell past cell1."""
    from tools.allinone_lib import cells
    return DB_SUFFIXES + tuple(cells.db_suffix(index) for index in cells.extra(state))


def database_urls(state):
    """{suffix: url}; MariaDB if it runs at the first ``up``, SQLite otherwise."""
    backend = state.settings.get('db_backend')
    if backend is None:
        # NOVA_ALLINONE_DB=sqlite: the embedded fallback even where MariaDB runs.
        backend = os.environ.get('NOVA_ALLINONE_DB') or (
            'mysql' if mariadb_available() else 'sqlite')
        state.settings['db_backend'] = backend
        state.save()
    urls = {}
    for suffix in db_suffixes(state):
        if backend == 'mysql':
            urls[suffix] = mysql_database_url(state, suffix)
        else:
            urls[suffix] = 'sqlite:///%s' % state.sub('%s.sqlite' % suffix)
    return urls


def service_database_url(state, service):
    """Where Keystone or Glance keeps its data: MariaDB with nova's, or None
    for SQLite (the fallback, and what a cloud made before kept)."""
    backend = state.settings.get('service_db_backend')
    if backend is None:
        fresh = not state.settings.get('keystone_ready') and \
            not os.path.exists(state.sub('glance', 'glance.db'))
        database_urls(state)
        backend = state.settings['db_backend'] if fresh else 'sqlite'
        state.settings['service_db_backend'] = backend
        state.save()
    if backend != 'mysql':
        return None
    return database_urls(state)[service]


def mysql(statement):
    """Run one statement on the local MariaDB as root; its rows."""
    import pymysql
    conn = pymysql.connect(host='127.0.0.1', port=3306, user='root')
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchall()
    finally:
        conn.close()


def _each_mysql_database(state, statement):
    """Run ``statement`` (with a ``{name}`` slot) for each database on MySQL."""
    if state.settings.get('db_backend') != 'mysql':
        return
    import pymysql
    conn = pymysql.connect(host='127.0.0.1', port=3306, user='root')
    try:
        with conn.cursor() as cur:
            for suffix in db_suffixes(state):
                cur.execute(statement.format(name=state.settings['db_prefix'] + suffix))
    finally:
        conn.close()


def create_databases(state):
    _each_mysql_database(state, 'CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4')


def drop_databases(state):
    _each_mysql_database(state, 'DROP DATABASE IF EXISTS `{name}`')


def host_name(state):
    return state.settings.setdefault('host', socket.gethostname())


def instance_name_template(state):
    """Guest names unique to this deployment.

    Deployments on one machine share its libvirtd, where two clouds' first
    servers would both be ``instance-00000001``; a second deployment's names
    carry the tag its databases and vhost carry.
    """
    tag = state.settings['db_prefix'][len('allinone_'):].rstrip('_')
    return 'instance-%s%%08x' % (tag + '-' if tag else '')


# [DEFAULT] instance_build_timeout by driver: a build no service will finish
# (its message lost to a fault) ends in ERROR instead of staying in BUILD.
# The fake driver builds in well under a second; real guests get longer.
BUILD_TIMEOUTS = {'fake': 90}
DEFAULT_BUILD_TIMEOUT = 900


def build_timeout(state):
    """Seconds; ``NOVA_ALLINONE_BUILD_TIMEOUT`` overrides (tests that wait for it)."""
    override = os.environ.get('NOVA_ALLINONE_BUILD_TIMEOUT')
    if override:
        return int(override)
    return BUILD_TIMEOUTS.get(state.settings.get('virt') or 'fake', DEFAULT_BUILD_TIMEOUT)


def same_host_moves(state):
    """``allow_resize_to_same_host`` for a cloud of one host (as devstack sets it): a
    resize there has no other host to go to.  Clouds of several hosts keep the
    default, so that a resize shows the move between them."""
    from tools.allinone_lib import cells
    if state.settings.get('computes', 0) or cells.count(state) > 1:
        return ''
    return 'allow_resize_to_same_host = True\n'


def write_config(state):
    from tools.allinone_lib import cinder
    from tools.allinone_lib import neutron
    urls = database_urls(state)
    keystone_url = state.url('keystone')
    if state.noauth:
        placement_auth = 'auth_type = admin_token\nendpoint = %s\ntoken = admin\n' % \
            state.url('placement')
        glance_auth = authtoken = ''
    else:
        placement_auth = password_auth(state, 'placement')
        # Used only when no user token is at hand (periodic tasks, admin contexts).
        glance_auth = password_auth(state, 'nova')
        authtoken = 'www_authenticate_uri = %s\n' % keystone_url + glance_auth
    text = NOVA_CONF.format(
        host=host_name(state), transport_url=transport_url(state),
        state_path=state.sub('nova'), log_dir=state.log_dir,
        api_port=state.port('nova-api'), metadata_port=state.port('nova-metadata'),
        auth_strategy='noauth2' if state.noauth else 'keystone',
        api_db=urls['nova_api'], cell1_db=urls['nova_cell1'], region=layout.REGION,
        placement_auth=placement_auth, glance_url=state.url('glance'),
        glance_auth=glance_auth, authtoken=authtoken,
        compute_driver=virt.compute_driver(state.settings.get('virt') or 'fake'),
        instance_name_template=instance_name_template(state),
        build_timeout=build_timeout(state), same_host=same_host_moves(state),
        virt_sections=virt.conf_sections(state) + neutron.nova_conf_sections(state) +
        cinder.nova_conf_sections(state))
    os.makedirs(state.sub('nova', 'lock'), exist_ok=True)
    with open(state.nova_conf, 'w') as f:
        f.write(text)
    return state.nova_conf


# --- RabbitMQ ---------------------------------------------------------------

def transport_url(state, vhost=None):
    return 'rabbit://guest:guest@127.0.0.1:5672/%s' % (vhost or state.settings['vhost'])


def _rabbitmqctl(*args, check=True):
    return subprocess.run(['rabbitmqctl', '-q'] + list(args), check=check,
                          capture_output=True, text=True, timeout=120)


def ensure_rabbitmq(say):
    if not procs.port_open(5672):
        say('starting RabbitMQ (rabbitmq-server -detached)')
        subprocess.run(['rabbitmq-server', '-detached'], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.wait_for(lambda: _rabbitmqctl('status', check=False).returncode == 0, 120,
                       'RabbitMQ', interval=1)
        procs.wait_for(lambda: procs.port_open(5672), 60, 'RabbitMQ port 5672')


def ensure_vhost(state, vhost=None):
    vhost = vhost or state.settings['vhost']
    listed = _rabbitmqctl('list_vhosts', 'name').stdout.split()
    if vhost not in listed:
        _rabbitmqctl('add_vhost', vhost)
    _rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*')


def delete_vhost(state, vhost=None):
    if procs.port_open(5672):
        _rabbitmqctl('delete_vhost', vhost or state.settings['vhost'], check=False)


# --- nova-manage ---------------------------------------------------------------

def manage(state, *args, check=True, conf=None):
    result = subprocess.run([python_bin('nova-manage'), '--config-file', conf or state.nova_conf]
                            + list(args), capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise RuntimeError('nova-manage %s failed (%d): %s%s' % (
            ' '.join(args), result.returncode, result.stdout, result.stderr))
    return result


def schema_fingerprint():
    """Names of every migration the code has; a change means "sync again"."""
    import hashlib
    names = []
    for root, _dirs, files in os.walk(os.path.join(layout.REPO, 'nova', 'db')):
        if os.path.basename(root) == 'versions':
            names += sorted(f for f in files if f.endswith('.py'))
    return hashlib.sha1('\n'.join(sorted(names)).encode()).hexdigest()


def setup_databases(state):
    """Sync the schemas and map the cells, unless done already for this code."""
    fingerprint = schema_fingerprint()
    if state.settings.get('nova_db_synced') == fingerprint:
        return False
    urls = database_urls(state)
    create_databases(state)
    manage(state, 'api_db', 'sync')
    manage(state, 'cell_v2', 'map_cell0', '--database_connection', urls['nova_cell0'])
    cells = manage(state, 'cell_v2', 'list_cells').stdout
    if not any(line.split('|')[1].strip() == 'cell1'
               for line in cells.splitlines() if line.count('|') > 2):
        manage(state, 'cell_v2', 'create_cell', '--name', 'cell1')
    manage(state, 'db', 'sync')
    state.settings['nova_db_synced'] = fingerprint
    state.save()
    return True


# --- daemons ---------------------------------------------------------------------

def start_daemons(state, names, grace=3.0):
    """Start daemons together; {name: (status, pid)} with status 'running',
    'started' or 'not built' (a console script whose service is not written yet
    exits at once with status 2 and says so)."""
    from tools.allinone_lib import cells
    result, fresh = {}, {}
    for name in names:
        cmd, marker, cwd = [python_bin(name), '--config-file', state.nova_conf], \
            python_bin(name), None
        if name == 'nova-compute':
            # With --fake-nodes, a wrapper module of this checkout: run from it.
            cmd, marker = cells.compute_command(state, state.nova_conf)
            cwd = layout.REPO
        pid, started = procs.start(state, name, cmd, marker=marker, cwd=cwd)
        result[name] = ('started' if started else 'running', pid)
        if started:
            fresh[name] = pid
    deadline = time.monotonic() + grace
    while fresh and time.monotonic() < deadline:
        for name, pid in list(fresh.items()):
            code = procs.exited(state, name, pid)
            if code is None:
                continue
            del fresh[name]
            log = procs.tail(procs.out_file(state, name), 5)
            procs.stop(state, name)
            if code == 2 and NOT_BUILT in log:
                result[name] = ('not built', None)
            else:
                raise RuntimeError('%s exited with %s:\n%s' % (name, code, log))
        time.sleep(0.1)
    return result


def start_console_proxies(state, timeout=60):
    """Start the console proxies of ``virt.console_proxies``; wait until they listen."""
    names = virt.console_proxies(state)
    started = start_daemons(state, names)
    for name in names:
        _status, pid = started[name]
        procs.wait_for(lambda: procs.port_open(state.port(name)), timeout,
                       '%s listening on port %d' % (name, state.port(name)),
                       alive=lambda: procs.running_pid(state, name) == pid)
    return names


def service_rows(state):
    """[{binary, host, up, disabled, updated_at, cell}] from every cell's services table."""
    from tools.allinone_lib import cells
    urls = database_urls(state)
    result = []
    for index in [1] + cells.extra(state):
        result += [dict(row, cell=cells.name(index))
                   for row in _cell_service_rows(urls['nova_cell%d' % index])]
    return result


def _cell_service_rows(url):
    import sqlalchemy as sa
    from oslo_utils import timeutils
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                'SELECT "binary", host, last_seen_up, updated_at, created_at, disabled '
                'FROM services WHERE deleted = 0 ORDER BY id'
                if engine.dialect.name == 'sqlite' else
                'SELECT `binary`, host, last_seen_up, updated_at, created_at, disabled '
                'FROM services WHERE deleted = 0 ORDER BY id')).mappings().all()
    finally:
        engine.dispose()
    result = []
    for row in rows:
        last = row['last_seen_up'] or row['updated_at'] or row['created_at']
        if isinstance(last, str):  # SQLite hands raw SQL's datetimes back as text
            import datetime
            last = datetime.datetime.fromisoformat(last)
        up = last is not None and abs(timeutils.delta_seconds(last, timeutils.utcnow())) <= 60
        result.append({'binary': row['binary'], 'host': row['host'], 'up': up,
                       'disabled': bool(row['disabled']), 'updated_at': last})
    return result


def wait_for_services(state, binaries, timeout=120, cell=None):
    """Wait until ``binaries`` report (in ``cell``, e.g. 'cell2', if given)."""
    def reported():
        try:
            rows = service_rows(state)
        except Exception:
            return False
        return {r['binary'] for r in rows
                if r['up'] and cell in (None, r['cell'])} >= set(binaries)
    procs.wait_for(reported, timeout, 'services %s reporting' % ', '.join(sorted(binaries)),
                   interval=0.5)


def discover_hosts(state):
    return manage(state, 'cell_v2', 'discover_hosts', '--verbose').stdout
