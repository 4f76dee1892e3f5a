"""Glance for the all-in-one: MariaDB beside nova's databases when it runs
(SQLite otherwise, served one request at a time), the file store under the
state directory, Keystone auth (or none with ``--noauth``), served on loopback."""

import os
import shutil
import subprocess

from tools import authtoken
from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import procs

GLANCE_CONF = """[DEFAULT]
log_file = {log_dir}/glance-api.log
enabled_backends = fs:file
public_endpoint = {url}

[database]
connection = {connection}

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = {data}/images/

[os_glance_staging_store]
filesystem_store_datadir = {data}/staging/

[os_glance_tasks_store]
filesystem_store_datadir = {data}/tasks/

[paste_deploy]
flavor = {flavor}

{keystone}{policy}"""

# Without Keystone every caller is Glance's anonymous admin context, which the
# role-based default rules refuse; the legacy rules let it through.
NOAUTH_POLICY = """
[oslo_policy]
enforce_new_defaults = False
enforce_scope = False
policy_file = {conf_dir}/policy.yaml
"""
NOAUTH_POLICY_RULES = """# noauth: the anonymous caller may also publish images
"publicize_image": ""
"communitize_image": ""
"""


def conf_dir(state):
    return state.sub('etc', 'glance')


def write_config(state, noauth, auth_url=None, password=None, url=None, connection=None):
    """Write glance-api.conf and its paste file into ``state``'s etc/glance.

    ``connection`` is the database URL; None means SQLite in the state directory.
    """
    data = state.sub('glance')
    for sub in ('images', 'staging', 'tasks'):
        os.makedirs(os.path.join(data, sub), exist_ok=True)
    os.makedirs(conf_dir(state), exist_ok=True)
    keystone = ('' if noauth else
                authtoken.keystone_authtoken_section(auth_url, 'glance', password))
    with open(os.path.join(conf_dir(state), 'glance-api.conf'), 'w') as f:
        f.write(GLANCE_CONF.format(log_dir=state.log_dir, data=data, url=url,
                                   connection=connection or 'sqlite:///%s/glance.db' % data,
                                   flavor='' if noauth else 'keystone', keystone=keystone,
                                   policy=NOAUTH_POLICY.format(conf_dir=conf_dir(state))
                                   if noauth else ''))
    if noauth:
        with open(os.path.join(conf_dir(state), 'policy.yaml'), 'w') as f:
            f.write(NOAUTH_POLICY_RULES)
    paste = os.path.join(layout.SERVICES_VENV, 'etc', 'glance', 'glance-api-paste.ini')
    shutil.copy(paste, os.path.join(conf_dir(state), 'glance-api-paste.ini'))


def db_sync(state):
    conf = os.path.join(conf_dir(state), 'glance-api.conf')
    subprocess.run([install.services_bin('glance-manage'), '--config-file', conf, 'db_sync'],
                   check=True, capture_output=True, text=True)


def command(state, port, one_at_a_time=False):
    cmd = [install.services_python(), '-m', 'tools.allinone_lib.serve_wsgi',
           '--app', 'glance.wsgi.api:application', '--port', str(port),
           '--config-env', 'OS_GLANCE_CONFIG_DIR=%s' % conf_dir(state)]
    if one_at_a_time:
        cmd.append('--one-at-a-time')  # SQLite: concurrent writers would fail
    return cmd


def start(state):
    if procs.running_pid(state, 'glance'):
        return procs.running_pid(state, 'glance'), False
    from tools.allinone_lib import nova
    connection = nova.service_database_url(state, 'glance')
    write_config(state, state.noauth, auth_url=state.url('keystone'),
                 password=state.settings['password'], url=state.url('glance'),
                 connection=connection)
    db_sync(state)
    pid, started = procs.start(state, 'glance', command(state, state.port('glance'),
                                                        one_at_a_time=connection is None),
                               cwd=layout.REPO, marker='glance.wsgi.api:application')
    procs.wait_serving(state, 'glance', pid, state.url('glance') + '/versions')
    return pid, started
