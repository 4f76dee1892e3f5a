"""Keystone for the all-in-one: MariaDB beside nova's databases when it runs
(SQLite otherwise, served one request at a time), fernet tokens, loopback; the
service project, the service users and the catalog Nova's clients look things
up in."""

import json
import os
import subprocess
import urllib.error
import urllib.request

from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import procs

KEYSTONE_CONF = """[DEFAULT]
log_file = {log_dir}/keystone.log

[database]
connection = {connection}

[token]
provider = fernet

[fernet_tokens]
key_repository = {state}/fernet-keys

[fernet_receipts]
key_repository = {state}/fernet-keys

[credential]
key_repository = {state}/credential-keys

[identity]
# bcrypt at its default cost (12) takes a core for a good part of a second per
# password set or checked; a test cloud whose clients create users by the
# dozen (tempest) would spend most of its time there.
password_hash_rounds = 4

[cache]
# Each token issued or validated reads the user, its role assignments, the
# project and the catalog again; kept in the process's memory instead, a
# token costs Keystone a fraction of the CPU.  One Keystone process here, so
# no cache server is needed for its entries to agree.
enabled = true
backend = dogpile.cache.memory
"""

SERVICE_USERS = ('nova', 'placement', 'glance')


def conf_dir(state):
    return state.sub('etc', 'keystone')


def database_url(state):
    """None means SQLite in the state directory."""
    from tools.allinone_lib import nova
    return nova.service_database_url(state, 'keystone')


def write_config(state):
    os.makedirs(conf_dir(state), exist_ok=True)
    path = os.path.join(conf_dir(state), 'keystone.conf')
    connection = database_url(state) or 'sqlite:///%s' % state.sub('keystone', 'keystone.db')
    with open(path, 'w') as f:
        f.write(KEYSTONE_CONF.format(state=state.sub('keystone'), log_dir=state.log_dir,
                                     connection=connection))
    os.makedirs(state.sub('keystone'), exist_ok=True)
    return path


def _manage(state, *args):
    conf = os.path.join(conf_dir(state), 'keystone.conf')
    subprocess.run([install.services_bin('keystone-manage'), '--config-file', conf] + list(args),
                   check=True, capture_output=True, text=True)


def bootstrap(state):
    """Schema, keys and the admin user; each step is safe to repeat."""
    write_config(state)
    _manage(state, 'db_sync')
    keys = state.sub('keystone', 'fernet-keys')
    if not os.path.isdir(keys) or not os.listdir(keys):
        _manage(state, 'fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root')
    creds = state.sub('keystone', 'credential-keys')
    if not os.path.isdir(creds) or not os.listdir(creds):
        _manage(state, 'credential_setup', '--keystone-user', 'root', '--keystone-group', 'root')
    url = state.url('keystone') + '/v3/'
    _manage(state, 'bootstrap', '--bootstrap-password', state.settings['password'],
            '--bootstrap-admin-url', url, '--bootstrap-internal-url', url,
            '--bootstrap-public-url', url, '--bootstrap-region-id', layout.REGION)


def start(state):
    write_config(state)  # as this checkout writes it: a later up brings a change in
    cmd = [install.services_python(), '-m', 'tools.allinone_lib.serve_wsgi',
           '--app', 'keystone.wsgi.api:application', '--port', str(state.port('keystone')),
           '--config-env', 'OS_KEYSTONE_CONFIG_DIR=%s' % conf_dir(state)]
    if database_url(state) is None:
        cmd.append('--one-at-a-time')  # SQLite: concurrent writers would fail
    pid, started = procs.start(state, 'keystone', cmd, cwd=layout.REPO,
                               marker='keystone.wsgi.api:application')
    procs.wait_serving(state, 'keystone', pid, state.url('keystone') + '/v3')
    return pid, started


class Client(object):
    """Just enough of the identity v3 API to set up users and the catalog."""

    def __init__(self, url, password):
        self.url = url.rstrip('/') + '/v3'
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'admin', 'domain': {'id': 'default'}, 'password': password}}},
            'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
        resp = self._request('POST', '/auth/tokens', body, token=None)
        self.token = resp.headers['X-Subject-Token']

    def _request(self, method, path, body=None, token=''):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header('Content-Type', 'application/json')
        if token is not None:
            req.add_header('X-Auth-Token', token or self.token)
        return urllib.request.urlopen(req, timeout=30)

    def call(self, method, path, body=None):
        with self._request(method, path, body) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def find(self, collection, **filters):
        query = '&'.join('%s=%s' % kv for kv in filters.items())
        items = self.call('GET', '/%s?%s' % (collection, query))[collection]
        return items[0] if items else None

    def ensure(self, collection, singular, body, **filters):
        found = self.find(collection, **filters)
        if found:
            return found
        return self.call('POST', '/' + collection, {singular: body})[singular]

    def grant(self, project_id, user_id, role_id):
        try:
            self.call('PUT', '/projects/%s/users/%s/roles/%s' % (project_id, user_id, role_id))
        except urllib.error.HTTPError as exc:
            if exc.code != 409:
                raise


def create_accounts_and_catalog(state):
    """The service project, nova/placement/glance users and their endpoints."""
    client = Client(state.url('keystone'), state.settings['password'])
    service_project = client.ensure('projects', 'project',
                                    {'name': 'service', 'domain_id': 'default',
                                     'description': 'Service users of the all-in-one'},
                                    name='service', domain_id='default')
    roles = {name: client.ensure('roles', 'role', {'name': name}, name=name)
             for name in ('admin', 'service', 'member', 'reader')}
    for user in SERVICE_USERS:
        found = client.ensure('users', 'user',
                              {'name': user, 'domain_id': 'default',
                               'password': state.settings['password'],
                               'default_project_id': service_project['id']},
                              name=user, domain_id='default')
        for role in ('admin', 'service'):
            client.grant(service_project['id'], found['id'], roles[role]['id'])
    catalog = (('nova', 'compute', 'Compute', state.url('nova-api') + '/v2.1'),
               ('placement', 'placement', 'Placement', state.url('placement')),
               ('glance', 'image', 'Image', state.url('glance')))
    for name, service_type, description, url in catalog:
        service = client.ensure('services', 'service',
                                {'name': name, 'type': service_type,
                                 'description': description}, type=service_type)
        for interface in ('public', 'internal', 'admin'):
            if not client.find('endpoints', service_id=service['id'], interface=interface):
                client.call('POST', '/endpoints', {'endpoint': {
                    'service_id': service['id'], 'interface': interface, 'url': url,
                    'region_id': layout.REGION}})
