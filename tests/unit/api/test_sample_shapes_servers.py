"""``/servers`` (boot, list, show, rename, createImage) against upstream's samples by shape.

Folders: servers, servers-sort, os-multiple-create.  Servers booted here stay
build requests (nobody consumes the conductor cast); the seeded servers are
cell rows in ACTIVE.  Samples showing ``OS-EXT-SRV-ATTR:host`` are the
administrator's view; the others (lists, and the 2.90+ bodies, which show only
``OS-EXT-SRV-ATTR:hostname``) are the owner's.
"""

import uuid

from oslo_utils import timeutils
import pytest

from nova.compute import api as compute_api
from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import down_cell
from tests.unit.api import shapes

FOLDERS = ('servers', 'servers-sort', 'os-multiple-create')

_NO_REBUILD = 'the rebuild action is not built (POST /servers/{id}/action rebuild is not routed)'

# A project whose one server lives in a cell that does not answer (2.69):
# its lists hold only that server's partial record, as the samples do.
_DOWN_PROJECT = 'down-cell-project'
_DOWN_PERSONA = 'down_cell_member'


def _request(name, drop=(), **changes):
    """A request sample with the values our seeded cloud can honour."""
    body = shapes.load(name)
    body['server'].update(changes)
    for key in drop:
        del body['server'][key]
    return body


# The request samples name an availability zone, flavor 6, networks, a server
# group and volumes the seeded cloud does not have (no Neutron, no Cinder):
# only such values are replaced, the request is not what is under test.
_OURS = dict(availability_zone='nova', flavorRef='1')
_V2_37_ON = dict(_OURS, networks='none')

# Upstream lists a server's security groups from its Neutron ports, and shows
# the key only when there are some; servers here have no ports (no Neutron).
_NO_PORTS = ('server.security_groups',)
_NO_PORTS_LIST = ('servers[].security_groups',)
# A tagged image disk on the hypervisor instead of a tagged Cinder volume.
_LOCAL_DISK = dict(imageRef=seeded.IMAGE, block_device_mapping_v2=[{
    'uuid': seeded.IMAGE, 'source_type': 'image', 'destination_type': 'local',
    'boot_index': 0, 'tag': 'disk1'}])


def _without_personality(name):
    """Files to inject were removed from the create schema at 2.57."""
    return _request(name, drop=['personality'], **_V2_37_ON)


def _sample_group(name):
    body = _request(name, **_V2_37_ON)
    body['OS-SCH-HNT:scheduler_hints']['group'] = '{os-server-groups}'
    return body


CASES = [
    # --- create -------------------------------------------------------------------
    shapes.Case('servers/server-create-resp.json', 'POST', '/servers',
                _request('servers/server-create-req.json', **_OURS), persona='member'),
    shapes.Case('servers/v2.19/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.19/server-create-req.json'), persona='member'),
    shapes.Case('servers/v2.32/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.32/server-create-req.json', networks=[],
                         **_LOCAL_DISK),
                persona='member'),
    shapes.Case('servers/v2.37/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.37/server-create-req.json', networks='none'),
                persona='member'),
    shapes.Case('servers/v2.42/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.42/server-create-req.json', networks='none',
                         **_LOCAL_DISK),
                persona='member'),
    shapes.Case('servers/v2.47/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.47/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('servers/v2.52/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.52/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('servers/v2.57/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.57/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('servers/v2.63/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.63/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('servers/v2.66/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.66/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('servers/v2.67/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.67/server-create-req.json', **dict(_V2_37_ON,
                                                                         **_LOCAL_DISK)),
                persona='member'),
    shapes.Case('servers/v2.69/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.69/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('servers/v2.71/server-create-resp.json', 'POST', '/servers',
                _sample_group('servers/v2.71/server-create-req.json'),
                persona='member'),
    shapes.Case('servers/v2.73/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.73/server-create-req.json', **_V2_37_ON),
                persona='member'),
    # The sample's host and node exist here (see _sample_compute).
    shapes.Case('servers/v2.74/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.74/server-create-req-with-host-and-node.json',
                         flavorRef='1', networks='none')),
    shapes.Case('servers/v2.90/server-create-resp.json', 'POST', '/servers',
                _without_personality('servers/v2.90/server-create-req.json'),
                persona='member'),
    shapes.Case('servers/v2.94/server-create-resp.json', 'POST', '/servers',
                _without_personality('servers/v2.94/server-create-req.json'),
                persona='member'),
    shapes.Case('servers/v2.100/server-create-resp.json', 'POST', '/servers',
                _request('servers/v2.100/server-create-req.json', **_V2_37_ON),
                persona='member'),
    shapes.Case('os-multiple-create/multiple-create-post-resp.json', 'POST', '/servers',
                'os-multiple-create/multiple-create-post-req.json', persona='member'),
    shapes.Case('os-multiple-create/multiple-create-no-resv-post-resp.json', 'POST',
                '/servers', 'os-multiple-create/multiple-create-no-resv-post-req.json',
                persona='member'),

    # --- list: the samples page with ?limit=1, hence servers_links ------------------
    shapes.Case('servers/servers-list-status-resp.json', 'GET',
                '/servers?limit=1&status=error', persona='member'),
    shapes.Case('servers-sort/server-sort-keys-list-resp.json', 'GET',
                '/servers?sort_key=display_name&sort_dir=asc', persona='member'),
    shapes.Case('servers/v2.66/servers-list-with-changes-before.json', 'GET',
                '/servers?changes-before=2100-01-01T00:00:00Z', persona='member'),
    shapes.Case('servers/v2.66/servers-details-with-changes-before.json', 'GET',
                '/servers/detail?all_tenants=1&changes-before=2100-01-01T00:00:00Z',
                optional=_NO_PORTS_LIST),
] + [
    shapes.Case('servers/%sservers-list-resp.json' % folder, 'GET', '/servers?limit=1',
                persona='member')
    for folder in ('', 'v2.3/', 'v2.9/', 'v2.16/', 'v2.19/', 'v2.47/', 'v2.52/', 'v2.90/',
                   'v2.94/', 'v2.96/', 'v2.98/', 'v2.100/')
] + [
    # --- detail and show: the administrator's view up to 2.75 ----------------------
    shapes.Case('servers/%sservers-details-resp.json' % folder, 'GET',
                '/servers/detail?all_tenants=1&limit=1', optional=_NO_PORTS_LIST)
    for folder in ('', 'v2.3/', 'v2.9/', 'v2.16/', 'v2.19/', 'v2.47/', 'v2.52/', 'v2.63/')
] + [
    shapes.Case('servers/v2.73/servers-details-resp.json', 'GET',
                '/servers/detail?all_tenants=1', optional=_NO_PORTS_LIST),
] + [
    shapes.Case('servers/%sserver-get-resp.json' % folder, 'GET', '/servers/{servers}',
                optional=_NO_PORTS)
    for folder in ('', 'v2.3/', 'v2.9/', 'v2.16/', 'v2.19/', 'v2.47/', 'v2.52/', 'v2.63/',
                   'v2.71/', 'v2.73/')
] + [
    # --- ... and the owner's from 2.90 ---------------------------------------------
    shapes.Case('servers/%sservers-details-resp.json' % folder, 'GET',
                '/servers/detail?limit=1', persona='member', optional=_NO_PORTS_LIST)
    for folder in ('v2.90/', 'v2.94/', 'v2.96/', 'v2.98/', 'v2.100/')
] + [
    shapes.Case('servers/%sserver-get-resp.json' % folder, 'GET', '/servers/{servers}',
                persona='member', optional=_NO_PORTS)
    for folder in ('v2.90/', 'v2.94/', 'v2.96/', 'v2.98/', 'v2.100/')
] + [
    # --- servers of a cell that does not answer (2.69) --------------------------------
    shapes.Case('servers/v2.69/servers-list-resp.json', 'GET', '/servers',
                persona=_DOWN_PERSONA),
    shapes.Case('servers/v2.69/servers-details-resp.json', 'GET', '/servers/detail',
                persona=_DOWN_PERSONA),
    shapes.Case('servers/v2.69/server-get-resp.json', 'GET', '/servers/{down_server}',
                persona=_DOWN_PERSONA),
    shapes.Case('servers/v2.71/server-get-down-cell-resp.json', 'GET',
                '/servers/{down_server}', persona=_DOWN_PERSONA),
] + [
    # --- update (PUT): a slimmer body than GET's before 2.75 ------------------------
    shapes.Case('servers/server-update-resp.json', 'PUT', '/servers/{servers}',
                'servers/server-update-req.json', persona='member'),
    shapes.Case('servers/v2.19/server-put-resp.json', 'PUT', '/servers/{servers}',
                'servers/v2.19/server-put-req.json', persona='member'),
    shapes.Case('servers/v2.75/server-update-resp.json', 'PUT', '/servers/{servers}',
                'servers/v2.75/server-update-req.json', optional=_NO_PORTS),
] + [
    shapes.Case('servers/%s/server-update-resp.json' % folder, 'PUT', '/servers/{servers}',
                'servers/%s/server-update-req.json' % folder, persona='member')
    for folder in ('v2.47', 'v2.63', 'v2.71', 'v2.73')
] + [
    shapes.Case('servers/%s/server-update-resp.json' % folder, 'PUT', '/servers/{servers}',
                'servers/%s/server-update-req.json' % folder, persona='member',
                optional=_NO_PORTS)
    for folder in ('v2.90', 'v2.94', 'v2.96', 'v2.98', 'v2.100', 'v2.104')
] + [
    # --- actions and the one server-groups sample kept in this folder ----------------
    shapes.Case('servers/v2.45/server-action-create-image-resp.json', 'POST',
                '/servers/{servers}/action', 'servers/v2.45/server-action-create-image.json',
                persona='member'),
    shapes.Case('servers/v2.71/server-groups-post-resp.json', 'POST', '/os-server-groups',
                'servers/v2.71/server-groups-post-req.json', persona='member'),
]

WAIVED = dict(
    [(name, _NO_REBUILD) for name in shapes.response_samples('servers')
     if 'rebuild' in name])


class _Images(seeded.Images):
    """The seeded catalogue, plus the queued image a snapshot creates."""

    def create(self, context, image_meta):
        return dict(image_meta, id=str(uuid.uuid4()), status='queued')


class _Recording(Client):
    """Keeps the last response, to see that a list case listed something."""

    def request(self, *args, **kwargs):
        self.last = super(_Recording, self).request(*args, **kwargs)
        return self.last


def _fill(body, ids):
    """``{collection}`` placeholders in a request body's strings, as in paths."""
    if isinstance(body, dict):
        return {key: _fill(value, ids) for key, value in body.items()}
    if isinstance(body, list):
        return [_fill(value, ids) for value in body]
    if isinstance(body, str) and body.startswith('{') and body.endswith('}'):
        return body.format_map(ids)
    return body


def _launch(cell, server, neighbour):
    """Launched once (an image can be taken of it), booted into a zone with a
    hint: what the 2.96 and 2.100 bodies read from its request spec."""
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server)
        instance.launched_at = timeutils.utcnow()
        instance.save()
    objects.RequestSpec.from_components(
        ctxt, server, objects.ImageMeta(), objects.Flavor.get_by_flavor_id(ctxt, '1'),
        availability_zone='nova', scheduler_hints={'same_host': neighbour},
        project_id=seeded.OWNER_PROJECT, user_id='owner').create()


def _sample_compute(cell):
    """The compute host and node the 2.74 request samples name."""
    ctxt = nova_context.get_admin_context()
    name = shapes.load('servers/v2.74/server-create-req-with-host-and-node.json')[
        'server']['host']
    with nova_context.target_cell(ctxt, cell) as cctxt:
        service = objects.Service(context=cctxt, host=name, binary='nova-compute',
                                  topic='compute', last_seen_up=timeutils.utcnow())
        service.create()
        objects.ComputeNode(
            context=cctxt, host=name, hypervisor_hostname=name, vcpus=4, memory_mb=8192,
            local_gb=100, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
            hypervisor_type='fake', hypervisor_version=1000, cpu_info='{}',
            free_ram_mb=8192, free_disk_gb=100, current_workload=0, running_vms=0,
            disk_available_least=100, host_ip='192.168.1.4', supported_hv_specs=[],
            cpu_allocation_ratio=16.0, ram_allocation_ratio=1.5, disk_allocation_ratio=1.0,
            service_id=service.id, stats={}, mapped=1).create()
    objects.HostMapping(context=ctxt, host=name, cell_mapping=cell).create()


@pytest.fixture
def cloud(paste_app, cell1, max_version, monkeypatch, seeded_ids):
    _sample_compute(cell1)
    monkeypatch.setattr(compute_api.get(), 'image_api', _Images())
    # Two servers in ERROR, so that ?status=error&limit=1 pages to a next link,
    # then a second ACTIVE one of the owner's: the newest, first on a page.
    for name in ('broken-1', 'broken-2'):
        seeded.server_in_cell(cell1, seeded.OWNER_PROJECT, 'owner', vm_state='error',
                              name=name)
    newest = seeded.server_in_cell(cell1, seeded.OWNER_PROJECT, 'owner', name='seeded-2')
    for server in (seeded_ids['servers'], newest):
        _launch(cell1, server, seeded_ids['other_server'])
    monkeypatch.setitem(seeded.PERSONAS, _DOWN_PERSONA,
                        ('downer:%s' % _DOWN_PROJECT, 'member,reader'))
    _cell, seeded_ids['down_server'] = down_cell.down_cell_with_server(
        project_id=_DOWN_PROJECT, user_id='downer')
    return _Recording(paste_app), seeded_ids


@pytest.mark.parametrize('case', CASES, ids=[c.sample for c in CASES])
def test_response_matches_sample(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, case._replace(body=_fill(case.body, ids)), ids)
    body = client.last.json_body_or_none
    for key in ('servers', 'server'):
        if key in shapes.load(case.sample):
            assert body.get(key), 'nothing to compare: %s' % client.last.body[:300]


def test_every_response_sample_is_checked():
    assert shapes.unclaimed(FOLDERS, CASES, WAIVED) == []


# Action request samples of this folder whose answer is a bare 202 (no body
# sample exists for them), with the vm_state the server must be in first.
# Not routed here, so not sent: resize, confirmResize, revertResize, rebuild,
# addFloatingIp and removeFloatingIp.
BARE_ACTIONS = [
    ('servers/server-action-reboot.json', 'active'),
    ('servers/server-action-stop.json', 'active'),
    ('servers/server-action-start.json', 'stopped'),
    ('servers/server-action-create-image.json', 'active'),
    ('servers/v2.17/server-action-trigger-crash-dump.json', 'active'),
    ('servers/v2.73/lock-server-with-reason.json', 'active'),
]


@pytest.mark.parametrize('sample,vm_state', BARE_ACTIONS, ids=[s for s, _ in BARE_ACTIONS])
def test_action_request_sample_is_accepted_with_no_body(cloud, cell1, sample, vm_state):
    client, ids = cloud
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, ids['servers'])
        instance.vm_state = vm_state
        instance.save()
    token, headers = seeded.headers_for('member')
    res = client.post('/servers/%s/action' % ids['servers'], shapes.load(sample),
                      version=shapes.version_of(sample), token=token, headers=headers)
    assert res.status_int == 202, res.body
    assert res.body == b''
    if 'create-image' in sample:
        # Before 2.45 the new image is named only by the Location header.
        assert '/images/' in res.headers['Location']


# Request samples with no response sample of their own: accepted as they are
# (but for the flavor and network, which the seeded cloud does not have).
EXTRA_REQUESTS = ['servers/v2.74/server-create-req-with-only-host.json',
                  'servers/v2.74/server-create-req-with-only-node.json']


@pytest.mark.parametrize('sample', EXTRA_REQUESTS)
def test_request_sample_is_accepted(cloud, sample):
    client, ids = cloud
    res = client.post('/servers', _request(sample, flavorRef='1', networks='none'),
                      version=shapes.version_of(sample))
    assert res.status_int == 202, res.body


# At ``latest`` each body keeps the shape of its newest sample.
NEWEST = [case for case in CASES if case.sample in (
    'servers/v2.100/server-create-resp.json', 'servers/v2.100/servers-list-resp.json',
    'servers/v2.100/servers-details-resp.json', 'servers/v2.100/server-get-resp.json',
    'servers/v2.104/server-update-resp.json')]


@pytest.mark.parametrize('case', NEWEST, ids=[c.sample for c in NEWEST])
def test_latest_has_the_newest_samples_shape(cloud, case):
    client, ids = cloud
    body = _fill(shapes.load(case.body) if isinstance(case.body, str) else case.body, ids)
    shapes.assert_matches(client, case._replace(body=body), ids, version='latest')
