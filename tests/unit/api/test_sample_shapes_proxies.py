"""The image proxy, server topology and a server's live migrations against upstream's
samples, by shape.

The in-memory Glance of ``seeded`` gets the sample's images (one with
``auto_disk_config``, which shows as ``OS-DCF:diskConfig``); the owner's
server gets a running live migration.  Guest NUMA topologies are not built
in this project (instances carry none), so the topology route always gives
the no-topology body; the view that renders a topology is checked against
the samples directly with a topology shaped like upstream's.
"""

import datetime
import json
import types

import pytest

from nova.api.openstack.compute.views import server_topology as server_topology_view
from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import shapes
from tests.unit.api.shapes import Case

FOLDERS = ['images', 'os-server-topology', 'server-migrations']

CREATED = datetime.datetime(2011, 1, 1, 1, 2, 3)
SAMPLE_IMAGES = {
    seeded.IMAGE: {'name': 'fakeimage7', 'size': 74185822, 'properties': {
        'architecture': 'x86_64', 'auto_disk_config': 'True', 'kernel_id': 'nokernel',
        'ramdisk_id': 'nokernel'}},
    '155d900f-4e14-4e4c-a73d-069cbf4541e6': {'name': 'fakeimage123456', 'size': 25165824,
                                             'properties': {'kernel_id': 'nokernel'}},
    'a440c04b-79fa-479c-bed1-0b816eaec379': {'name': 'fakeimage6', 'size': 49163826,
                                             'properties': {'auto_disk_config': 'False'}},
}

IS = 'images/'
IMG = '/images/{images}'
SM = 'server-migrations/'
MIGRATIONS = '/servers/{servers}/migrations'

CASES = [
    Case(IS + 'images-list-get-resp.json', 'GET', '/images'),
    Case(IS + 'images-details-get-resp.json', 'GET', '/images/detail'),
    Case(IS + 'image-get-resp.json', 'GET', IMG),
    Case(IS + 'image-metadata-get-resp.json', 'GET', IMG + '/metadata'),
    Case(IS + 'image-metadata-post-resp.json', 'POST', IMG + '/metadata',
         IS + 'image-metadata-post-req.json'),
    Case(IS + 'image-metadata-put-resp.json', 'PUT', IMG + '/metadata',
         IS + 'image-metadata-put-req.json'),
    Case(IS + 'image-meta-key-get.json', 'GET', IMG + '/metadata/kernel_id'),
    Case(IS + 'image-meta-key-put-resp.json', 'PUT', IMG + '/metadata/auto_disk_config',
         IS + 'image-meta-key-put-req.json'),
]
for _version in ('2.23', '2.59', '2.80'):
    CASES += [
        Case(SM + 'v%s/migrations-index.json' % _version, 'GET', MIGRATIONS),
        Case(SM + 'v%s/migrations-get.json' % _version, 'GET',
             MIGRATIONS + '/{migrations}'),
    ]

_NO_TOPOLOGY = ('guest NUMA topologies are not built (our Instance has no numa_topology): '
                'the route answers the no-topology body (test_topology_route_*), the view '
                'is checked against this sample in test_topology_view_matches_samples')
WAIVED = {
    'os-server-topology/v2.78/servers-topology-resp.json': _NO_TOPOLOGY,
    'os-server-topology/v2.78/servers-topology-resp-user.json': _NO_TOPOLOGY,
}


def seed_live_migration(cell, server, status='running', migration_type='live-migration'):
    """A migration row of ``server`` in ``cell`` (live migration is not built here)."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        migration = objects.Migration(
            context=cctxt, instance_uuid=server, migration_type=migration_type,
            status=status, source_compute='host1', dest_compute='host2',
            source_node='host1.example', dest_node='host2.example', dest_host='192.168.1.3',
            old_instance_type_id=1, new_instance_type_id=1, memory_total=123456,
            memory_processed=12345, memory_remaining=111111, disk_total=234567,
            disk_processed=23456, disk_remaining=211111, user_id='owner',
            project_id=seeded.OWNER_PROJECT)
        migration.create()
    return str(migration.id)


def seed_sample_images(image_api):
    for image_id, image in SAMPLE_IMAGES.items():
        image_api.images[image_id] = dict(
            image, id=image_id, status='active', min_ram=0, min_disk=0,
            created_at=CREATED, updated_at=CREATED, properties=dict(image['properties']))


@pytest.fixture
def cloud(paste_app, cell1, max_version, seeded_ids):
    from nova.api.openstack.compute import images
    seed_sample_images(images.image_api())
    seeded_ids['migrations'] = seed_live_migration(cell1, seeded_ids['servers'])
    return Client(paste_app), seeded_ids


@pytest.mark.parametrize('case', CASES, ids=lambda case: '%s %s' % (case.method, case.sample))
def test_response_matches_sample_shape(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, case, ids)


def test_every_response_sample_is_checked():
    assert shapes.unclaimed(FOLDERS, CASES, WAIVED) == []


def test_every_sample_not_a_request_is_checked():
    """Some samples here are not named ``*-resp`` (the migrations ones, the key show):
    every file that is not a request body is a case or waived all the same."""
    requests = {'images/image-metadata-post-req.json', 'images/image-metadata-put-req.json',
                'images/image-meta-key-put-req.json'}
    names = {str(path.relative_to(shapes.ROOT)) for folder in FOLDERS
             for path in (shapes.ROOT / folder).rglob('*.json')}
    live_migrate = {name for name in names if 'live-migrate-server' in name
                    or name.endswith('force_complete.json')}  # os-migrateLive, and a request
    claimed = {case.sample for case in CASES} | set(WAIVED)
    assert sorted(names - requests - live_migrate - claimed) == []


def test_force_complete_request_sample_is_accepted(cloud):
    """The 2.22 request sample passes validation and reaches the state check: the
    server is not migrating (live migration is not built), a 409."""
    client, ids = cloud
    res = client.post(MIGRATIONS.format_map(ids) + '/%s/action' % ids['migrations'],
                      shapes.load(SM + 'v2.22/force_complete.json'), version='2.22')
    assert res.status_int == 409, res.body


# --- topology ------------------------------------------------------------------------

def _sample_topology():
    """An instance NUMA topology like the one upstream's samples were taken from."""
    cell = types.SimpleNamespace
    return types.SimpleNamespace(cells=[
        cell(id=0, cpuset={0, 1}, pcpuset=set(), siblings=[{0, 1}], memory=1024,
             cpu_pinning={0: 0, 1: 5}, pagesize=4),
        cell(id=1, cpuset=set(), pcpuset={2, 3}, siblings=[{2, 3}], memory=2048,
             cpu_pinning={2: 1, 3: 8}, pagesize=4),
    ])


@pytest.mark.parametrize('sample, show_host', [
    ('os-server-topology/v2.78/servers-topology-resp.json', True),
    ('os-server-topology/v2.78/servers-topology-resp-user.json', False),
])
def test_topology_view_matches_samples(sample, show_host):
    body = json.loads(json.dumps(server_topology_view.topology(_sample_topology(), show_host)))
    assert shapes.diff(shapes.load(sample), body) == []
    assert [node['vcpu_set'] for node in body['nodes']] == [[0, 1], [2, 3]]
    assert body['pagesize_kb'] == 4


def test_topology_route_answers_no_topology(cloud):
    client, ids = cloud
    for persona in ('admin', 'reader'):
        token, headers = seeded.headers_for(persona)
        res = client.get('/servers/%s/topology' % ids['servers'], version='2.78',
                         token=token, headers=headers)
        assert res.status_int == 200, res.body
        assert res.json_body_or_none == {'nodes': [], 'pagesize_kb': None}

