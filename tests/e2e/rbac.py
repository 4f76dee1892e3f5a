"""Secure RBAC with real Keystone users: a member, a reader and a member of another project.

On a running all-in-one with Keystone (tests/e2e/test_libvirt_guest.py's
cloud: no cloud of its own), Keystone gets two projects and three users with
the stock ``member``/``reader`` roles, and each user's project-scoped token
goes through keystonemiddleware to nova-api.
"""

import json
import urllib.error
import urllib.request

from tools.allinone_lib import keystone

COMPUTE_VERSION = 'compute 2.37'


def _token(keystone_url, user, password, project):
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': user, 'domain': {'id': 'default'}, 'password': password}}},
        'scope': {'project': {'name': project, 'domain': {'id': 'default'}}}}}
    req = urllib.request.Request(keystone_url + '/v3/auth/tokens',
                                 data=json.dumps(body).encode(), method='POST',
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.headers['X-Subject-Token']


def _call(api, token, method, path, body=None):
    req = urllib.request.Request(api + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={'X-Auth-Token': token,
                                          'Content-Type': 'application/json',
                                          'OpenStack-API-Version': COMPUTE_VERSION})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read()
            return resp.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b'null')


def _accounts(client, password):
    roles = {r['name']: r['id'] for r in client.call('GET', '/roles')['roles']}
    projects = {}
    for name in ('rbac-a', 'rbac-b'):
        projects[name] = client.ensure('projects', 'project',
                                       {'name': name, 'domain_id': 'default'},
                                       name=name, domain_id='default')
    for user, project, role in (('alice', 'rbac-a', 'member'), ('rita', 'rbac-a', 'reader'),
                                ('bob', 'rbac-b', 'member')):
        found = client.ensure('users', 'user', {'name': user, 'domain_id': 'default',
                                                'password': password},
                              name=user, domain_id='default')
        client.grant(projects[project]['id'], found['id'], roles[role])


def member_reader_and_other_project(cloud):
    """The checks, on the all-in-one in state directory ``cloud`` (with Keystone)."""
    settings = json.load(open(cloud / 'allinone.json'))
    keystone_url = 'http://127.0.0.1:%d' % settings['ports']['keystone']
    api = 'http://127.0.0.1:%d/v2.1' % settings['ports']['nova-api']
    password = settings['password']
    admin = keystone.Client(keystone_url, password)
    _accounts(admin, password)
    alice = _token(keystone_url, 'alice', password, 'rbac-a')
    rita = _token(keystone_url, 'rita', password, 'rbac-a')
    bob = _token(keystone_url, 'bob', password, 'rbac-b')

    glance = 'http://127.0.0.1:%d' % settings['ports']['glance']
    req = urllib.request.Request(glance + '/v2/images?name=cirros-fake',
                                 headers={'X-Auth-Token': alice})
    image = json.loads(urllib.request.urlopen(req, timeout=30).read())['images'][0]['id']

    # the reader may not create, the member may
    boot = {'server': {'name': 'rbac', 'imageRef': image, 'flavorRef': '1',
                       'networks': 'none'}}
    status, body = _call(api, rita, 'POST', '/servers', boot)
    assert status == 403, body
    status, body = _call(api, alice, 'POST', '/servers', boot)
    assert status == 202, body
    server = '/servers/%s' % body['server']['id']

    assert _call(api, alice, 'GET', server)[0] == 200
    assert _call(api, rita, 'GET', server)[0] == 200
    status, body = _call(api, bob, 'GET', server)
    assert status == 404 and body['itemNotFound']['code'] == 404
    assert _call(api, bob, 'GET', '/servers')[1] == {'servers': []}

    status, body = _call(api, rita, 'PUT', server, {'server': {'name': 'nope'}})
    assert status == 403 and body['forbidden']['code'] == 403
    assert _call(api, rita, 'DELETE', server)[0] == 403
    assert _call(api, bob, 'DELETE', server)[0] == 404

    # admin-only resources
    for token in (alice, rita, bob):
        assert _call(api, token, 'GET', '/os-services')[0] == 403
        assert _call(api, token, 'GET', '/os-hypervisors')[0] == 403
    assert _call(api, admin.token, 'GET', '/os-services')[0] == 200

    assert _call(api, alice, 'DELETE', server)[0] == 204

