"""rebuild, rescue/unrescue and shelve/shelveOffload/unshelve through the paste app.

The server lives in a real SQLite cell database; conductor and compute RPC
go to oslo.messaging's fake transport, where nobody consumes them, and
Glance is the in-memory catalogue of tests/unit/api/seeded.py: these tests
see what the API itself does (schemas per microversion, policy, state
checks, task states, action records, bodies). tests/functional/actions
follows the casts through real services.
"""

import pytest
from oslo_utils import uuidutils

from nova.compute import api as compute_api
from nova.compute import vm_states
from nova import context as nova_context
from nova import objects
from tests.unit.api import seeded

MISSING = '8f7e6d5c-4b3a-4291-8807-6f5e4d3c2b1a'
IMAGE2 = '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f'


class _Images(seeded.Images):
    """The seeded catalogue with a second image, and image creation (snapshots)."""

    def __init__(self):
        super().__init__()
        self.images[IMAGE2] = dict(self.images[seeded.IMAGE], id=IMAGE2, name='other',
                                   properties={'hw_rescue_bus': 'usb'})

    def create(self, context, image_meta):
        image = dict(image_meta, id=uuidutils.generate_uuid(), status='queued')
        self.images[image['id']] = image
        return image


@pytest.fixture
def images(monkeypatch):
    found = _Images()
    monkeypatch.setattr(compute_api.get(), 'image_api', found)
    return found


@pytest.fixture
def server(active_server, cell1, images):
    """The shared ACTIVE server, with a flavor and the image it was booted from."""
    with nova_context.target_cell(nova_context.get_admin_context(), cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, active_server.uuid)
        instance.flavor = objects.Flavor(
            id=1, flavorid='1', name='m1.tiny', memory_mb=512, vcpus=1, root_gb=1,
            ephemeral_gb=0, swap=0, rxtx_factor=1.0, vcpu_weight=0, is_public=True,
            disabled=False, extra_specs={})
        instance.image_ref = seeded.IMAGE
        instance.save()
    return active_server


def _reload(cell1, server):
    with nova_context.target_cell(nova_context.get_admin_context(), cell1) as cctxt:
        return objects.Instance.get_by_uuid(cctxt, server.uuid,
                                            expected_attrs=['system_metadata'])


def _set_state(cell1, server, vm_state, task_state=None):
    instance = _reload(cell1, server)
    instance.vm_state, instance.task_state = vm_state, task_state
    instance.save()


def _action(client, server, body, version=None):
    return client.post('/servers/%s/action' % server.uuid, body, version=version)


def _last_action(user, server):
    return user.get('/servers/%s/os-instance-actions' % server.uuid
                    ).json_body_or_none['instanceActions'][0]['action']


# --- rebuild -----------------------------------------------------------------------

def test_rebuild_records_the_changes_and_moves_into_rebuilding(user, server, cell1,
                                                               max_version):
    resp = _action(user, server, {'rebuild': {
        'imageRef': IMAGE2, 'name': 'renamed', 'metadata': {'a': 'b'},
        'adminPass': 'pw'}}, version='2.74')
    assert resp.status_int == 202, resp.body
    body = resp.json_body_or_none['server']
    assert (body['name'], body['status'], body['metadata']) == ('renamed', 'REBUILD',
                                                                {'a': 'b'})
    assert body['adminPass'] == 'pw' and 'OS-EXT-STS:vm_state' not in body
    assert body['key_name'] is None and body['user_data'] is None
    stored = _reload(cell1, server)
    assert (stored.task_state, stored.display_name) == ('rebuilding', 'renamed')
    assert stored.image_ref == IMAGE2
    assert stored.system_metadata['image_base_image_ref'] == IMAGE2
    assert stored.system_metadata['image_hw_rescue_bus'] == 'usb'
    assert _last_action(user, server) == 'rebuild'
    assert _action(user, server, {'rebuild': {'imageRef': seeded.IMAGE}}).status_int == 409


def test_rebuild_from_2_75_answers_the_show_body_with_user_data_once(admin, server,
                                                                     cell1):
    resp = _action(admin, server, {'rebuild': {'imageRef': IMAGE2, 'user_data': 'ZWNobw=='}},
                   version='2.75')
    assert resp.status_int == 202, resp.body
    body = resp.json_body_or_none['server']
    # The extended attributes as GET shows them, the user data under its 2.57 name only.
    assert 'OS-EXT-SRV-ATTR:host' in body and 'OS-EXT-STS:vm_state' in body
    assert body['user_data'] == 'ZWNobw=='
    assert 'OS-EXT-SRV-ATTR:user_data' not in body


def test_rebuild_with_personality_files_over_the_quota_is_403(user, server, cell1):
    from nova import conf
    conf.CONF.set_override('injected_files', 1, group='quota')
    try:
        personality = [{'path': '/etc/f%d' % i, 'contents': 'aGk='} for i in range(2)]
        resp = _action(user, server, {'rebuild': {'imageRef': IMAGE2,
                                                  'personality': personality}},
                       version='2.56')
        assert resp.status_int == 403, resp.body
        assert resp.json_body_or_none['forbidden']['message'] == \
            'Personality file limit exceeded'
        assert _reload(cell1, server).task_state is None
    finally:
        conf.CONF.clear_override('injected_files', group='quota')


@pytest.mark.parametrize('rebuild,version', [
    ({}, '2.1'),
    ({'imageRef': 'not-a-uuid'}, '2.1'),
    ({'imageRef': seeded.IMAGE, 'key_name': 'k'}, '2.53'),
    ({'imageRef': seeded.IMAGE, 'user_data': 'aGk='}, '2.56'),
    ({'imageRef': seeded.IMAGE, 'user_data': 'abc'}, '2.57'),
    ({'imageRef': seeded.IMAGE, 'personality': []}, '2.57'),
    ({'imageRef': seeded.IMAGE, 'trusted_image_certificates': ['a']}, '2.62'),
    ({'imageRef': seeded.IMAGE, 'hostname': 'a.b'}, '2.90'),
    ({'imageRef': seeded.IMAGE, 'hostname': 'x'}, '2.89'),
    ({'imageRef': seeded.IMAGE, 'preserve_ephemeral': 'maybe'}, '2.1'),
])
def test_rebuild_bodies_each_microversion_refuses(user, server, cell1, rebuild, version,
                                                  max_version):
    resp = _action(user, server, {'rebuild': rebuild}, version=version)
    assert resp.status_int == 400, (rebuild, resp.body)
    assert _reload(cell1, server).task_state is None


def test_rebuild_with_an_unknown_image_or_key_is_400(user, server, cell1):
    resp = _action(user, server, {'rebuild': {'imageRef': MISSING}})
    assert resp.status_int == 400
    assert resp.json_body_or_none['badRequest']['message'] == 'Cannot find image for rebuild'
    resp = _action(user, server, {'rebuild': {'imageRef': seeded.IMAGE, 'key_name': 'no'}},
                   version='2.54')
    assert resp.status_int == 400
    assert resp.json_body_or_none['badRequest']['message'] == 'Invalid key_name provided.'
    assert _reload(cell1, server).task_state is None


def test_rebuild_in_a_wrong_state_is_409(user, server, cell1):
    _set_state(cell1, server, vm_states.PAUSED)
    resp = _action(user, server, {'rebuild': {'imageRef': seeded.IMAGE}})
    assert resp.status_int == 409
    assert resp.json_body_or_none['conflictingRequest']['message'].endswith(
        'while it is in vm_state paused')


# --- rescue ------------------------------------------------------------------------

def test_rescue_answers_the_password_and_unrescue_needs_a_rescued_server(user, server,
                                                                         cell1):
    assert _action(user, server, {'unrescue': None}).status_int == 409
    resp = _action(user, server, {'rescue': {'adminPass': 'pw'}})
    assert resp.status_int == 200, resp.body
    assert resp.json_body_or_none == {'adminPass': 'pw'}
    assert _reload(cell1, server).task_state == 'rescuing'
    assert _last_action(user, server) == 'rescue'
    _set_state(cell1, server, vm_states.RESCUED)
    assert _action(user, server, {'rescue': None}).status_int == 409
    assert _action(user, server, {'unrescue': None}).status_int == 202
    assert _reload(cell1, server).task_state == 'unrescuing'


@pytest.mark.parametrize('body', [
    {'rescue': {'rescue_image_ref': 'nope'}}, {'rescue': {'x': 1}}, {'rescue': 'yes'},
    {'unrescue': {'a': 1}}])
def test_bad_rescue_bodies_are_400(user, server, body):
    assert _action(user, server, body).status_int == 400


def test_rescue_with_an_unknown_image_is_400(user, server, cell1):
    resp = _action(user, server, {'rescue': {'rescue_image_ref': MISSING}})
    assert resp.status_int == 400
    assert _reload(cell1, server).task_state is None


# --- shelve ------------------------------------------------------------------------

def test_shelve_creates_the_image_and_moves_into_shelving(user, admin, server, cell1,
                                                          images):
    assert _action(user, server, {'shelveOffload': None}).status_int == 403
    assert _action(admin, server, {'shelveOffload': None}).status_int == 409
    assert _action(user, server, {'unshelve': None}).status_int == 409
    resp = _action(user, server, {'shelve': None})
    assert resp.status_int == 202, resp.body
    assert _reload(cell1, server).task_state == 'shelving'
    assert [i['name'] for i in images.images.values()] == ['cirros', 'other', 's1-shelved']
    assert _last_action(user, server) == 'shelve'


def test_unshelve_zone_and_host_are_for_offloaded_servers(user, admin, server, cell1,
                                                          max_version):
    _set_state(cell1, server, vm_states.SHELVED)
    resp = _action(user, server, {'unshelve': {'availability_zone': 'nova'}},
                   version='2.77')
    assert resp.status_int == 409
    _set_state(cell1, server, vm_states.SHELVED_OFFLOADED)
    # Before 2.77 only null; 2.77 needs the zone; 2.91 adds host and a null zone.
    assert _action(user, server, {'unshelve': {'availability_zone': 'nova'}},
                   version='2.76').status_int == 400
    assert _action(user, server, {'unshelve': {'zone': 'nova'}},
                   version='2.77').status_int == 400
    assert _action(user, server, {'unshelve': {'availability_zone': None}},
                   version='2.90').status_int == 400
    assert _action(user, server, {'unshelve': {'availability_zone': 'no-such-zone'}},
                   version='2.77').status_int == 400
    assert _action(user, server, {'unshelve': {'host': 'host1'}},
                   version='2.91').status_int == 403
    assert _action(admin, server, {'unshelve': {'host': 'no-such-host'}},
                   version='2.91').status_int == 400
    assert _reload(cell1, server).task_state is None
    # A plain unshelve of the offloaded server goes to conductor.
    assert _action(user, server, {'unshelve': None}).status_int == 202
    assert _reload(cell1, server).task_state == 'unshelving'
    assert _last_action(user, server) == 'unshelve'
