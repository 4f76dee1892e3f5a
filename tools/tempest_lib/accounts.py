"""Pre-provisioned test accounts for tempest (``[auth] test_accounts_file``).

With dynamic credentials tempest creates a project, users and role
assignments in Keystone for every test class and deletes them afterwards;
on a busy machine that is most of a run's time.  Instead the users are made
here once, before the run, and tempest takes them from ``accounts.yaml``
(``use_dynamic_credentials = False``), locking each for the class using it.

Tempest picks accounts by the roles the file lists:

- *persona* projects, each with one user per persona tempest asks for in
  the same project: ``member`` (a class's primary user), ``reader``
  (``project_reader``) and, when Keystone has the role, ``manager``
  (``project_manager``);
- *alt* users, each alone in a project and listed first with no roles in the
  file: tempest gives a class's alt user the first free account without the
  admin role, and it must not share the primary's project;
- *admin* users, each alone in a project, with the admin role;
- admin users that also have the ``service`` role, when Keystone has it
  (tempest's service-user credentials).

Each Keystone user gets exactly the roles dynamic credentials would give it.
The classes that force dynamic credentials (tempest's quota tests) still get
them from the admin account of ``[auth]``.
"""

import json
import os
import re
import secrets
import urllib.parse

PREFIX = 'tempest-acct'


def plan(concurrency, roles):
    """[(project, user, keystone roles, roles in accounts.yaml)] for ``concurrency``
    workers; ``roles``: the role names Keystone has."""
    workers = max(1, concurrency)
    accounts = []
    for i in range(2 * workers):
        accounts.append(('%s-alt%d' % (PREFIX, i), '%s-alt%d' % (PREFIX, i), ['member'], []))
    personas = ['member', 'reader'] + (['manager'] if 'manager' in roles else [])
    for i in range(2 * workers + 1):
        project = '%s-p%d' % (PREFIX, i)
        for persona in personas:
            accounts.append((project, '%s-p%d-%s' % (PREFIX, i, persona), [persona],
                             [persona]))
    for i in range(2 * workers):
        name = '%s-admin%d' % (PREFIX, i)
        accounts.append((name, name, ['admin'], ['admin']))
    if 'service' in roles:
        for i in range(workers):
            name = '%s-service%d' % (PREFIX, i)
            accounts.append((name, name, ['admin', 'service'], ['admin', 'service']))
    return accounts


def render(accounts, password, domain):
    """accounts.yaml's text (YAML is a superset of JSON: each value is JSON-quoted)."""
    lines = ['# Written by tools/tempest: users it keeps in Keystone for tempest runs.']
    for project, user, _keystone_roles, roles in accounts:
        lines.append('- username: %s' % json.dumps(user))
        lines.append('  project_name: %s' % json.dumps(project))
        lines.append('  password: %s' % json.dumps(password))
        lines.append('  user_domain_name: %s' % json.dumps(domain))
        lines.append('  project_domain_name: %s' % json.dumps(domain))
        if roles:
            lines.append('  roles: [%s]' % ', '.join(json.dumps(r) for r in roles))
    return '\n'.join(lines) + '\n'


def _password(path):
    """The accounts' password: the one the file already has, else a new one."""
    try:
        with open(path) as f:
            for line in f:
                if line.strip().startswith('password:'):
                    return json.loads(line.split(':', 1)[1].strip())
    except (OSError, ValueError):
        pass
    return 'Tempest-' + secrets.token_hex(12)


def _by_name(cloud, kind, name, domain_id):
    query = urllib.parse.urlencode({'name': name, 'domain_id': domain_id})
    found = cloud.call('GET', '%s/%s?%s' % (cloud.auth_url, kind, query))[kind]
    return found[0] if found else None


def ensure(cloud, path, concurrency, say=print):
    """Create (or bring back to the expected password and roles) the users of
    ``plan`` and write ``path``; returns the number of accounts."""
    url = cloud.auth_url
    roles = {r['name']: r['id'] for r in cloud.call('GET', url + '/roles')['roles']}
    domain_name = cloud.project_domain
    domain = cloud.call('GET', '%s/domains?%s' % (
        url, urllib.parse.urlencode({'name': domain_name})))['domains'][0]
    password = _password(path)
    accounts = plan(concurrency, roles)
    created = 0
    projects = {}
    checked = {}
    for project, user, keystone_roles, _roles in accounts:
        if project not in projects:
            found = _by_name(cloud, 'projects', project, domain['id'])
            if found is None:
                found = cloud.call('POST', url + '/projects', body={'project': {
                    'name': project, 'domain_id': domain['id'],
                    'description': 'tempest pre-provisioned account'}})['project']
                created += 1
            projects[project] = found['id']
        found = _by_name(cloud, 'users', user, domain['id'])
        if found is None:
            found = cloud.call('POST', url + '/users', body={'user': {
                'name': user, 'domain_id': domain['id'], 'password': password,
                'default_project_id': projects[project]}})['user']
            created += 1
        elif not checked.setdefault(
                'ok', _password_works(cloud, user, domain_name, password)):
            # One password for all: when one user's fails, set it on each.
            cloud.call('PATCH', '%s/users/%s' % (url, found['id']),
                       body={'user': {'password': password}})
        for role in keystone_roles:
            cloud.call('PUT', '%s/projects/%s/users/%s/roles/%s' % (
                url, projects[project], found['id'], roles[role]))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(render(accounts, password, domain_name))
    say('%d pre-provisioned accounts in %s (%d Keystone projects/users created)' % (
        len(accounts), path, created))
    return len(accounts)


def _password_works(cloud, user, domain, password):
    """Whether ``password`` gets ``user`` an unscoped token."""
    status, _headers, _text = cloud.raw('POST', cloud.auth_url + '/auth/tokens', token=False,
                                        body={'auth': {'identity': {
                                            'methods': ['password'], 'password': {'user': {
                                                'name': user, 'domain': {'name': domain},
                                                'password': password}}}}})
    return status == 201



def unlock_all(lock_dir):
    """Free the accounts an interrupted run left locked: tempest marks an account in
    use with a file named by its hash in its lock directory.  Only before a run."""
    try:
        names = os.listdir(lock_dir)
    except OSError:
        return 0
    stale = [name for name in names if re.fullmatch(r'[0-9a-f]{32}', name)]
    for name in stale:
        os.remove(os.path.join(lock_dir, name))
    return len(stale)
