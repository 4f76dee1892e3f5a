"""Admin resources answer with upstream's sample shapes at each microversion.

Aggregates, availability zones, hypervisors, services, migrations and
simple tenant usage, over the seeded cloud plus what these routes need:
a second compute (hypervisor paging), a scheduler and a conductor (the
internal zone), an aggregate in zone ``london`` holding ``host2``,
migrations of both kinds, and servers with a launch time.
"""

import datetime
import json
import uuid

import pytest

from nova import context as nova_context
from nova import objects
from oslo_utils import timeutils
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import shapes
from tests.unit.api.shapes import Case

FOLDERS = ('os-aggregates', 'os-availability-zone', 'os-hypervisors', 'os-services',
           'os-migrations', 'os-simple-tenant-usage')
# Upstream names these response samples without '-resp'.
UNSUFFIXED_RESPONSE_FOLDERS = ('os-migrations', 'os-simple-tenant-usage')

# what the libvirt driver reports (nova/virt/libvirt/hostinfo.cpu_info)
LIBVIRT_CPU_INFO = json.dumps({
    'arch': 'x86_64', 'model': 'Nehalem', 'vendor': 'Intel', 'features': ['pge', 'clflush'],
    'topology': {'sockets': 1, 'cores': 2, 'threads': 1}})
T0 = datetime.datetime(2020, 1, 1, 0, 0, 0)
PERIOD = 'start=2020-01-01T00:00:00&end=2020-01-01T03:00:00'


@pytest.fixture
def cloud(paste_app, cell1, monkeypatch, max_version, seeded_ids):
    _no_placement(monkeypatch)
    from nova.compute import rpcapi as compute_rpcapi
    # nothing consumes RPC here: the compute's answer to "uptime?"
    monkeypatch.setattr(compute_rpcapi.ComputeAPI, 'get_host_uptime',
                        lambda self, ctxt, host: ' 08:32:11 up 93 days, 18:25, 12 users')
    _more_services(cell1, seeded_ids)
    _london_aggregate(seeded_ids)
    _launched_servers(cell1, seeded_ids)
    _migrations(cell1, seeded_ids)
    return Client(paste_app), seeded_ids


def _no_placement(monkeypatch):
    """Placement is not running in the unit tier (as test_aggregates_zones)."""
    from nova.scheduler.client import report
    monkeypatch.setattr(report.SchedulerReportClient, 'aggregate_add_host',
                        lambda self, ctx, agg, rp: None)
    monkeypatch.setattr(report.SchedulerReportClient, 'aggregate_remove_host',
                        lambda self, ctx, agg, rp: None)


def _more_services(cell, ids):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for host, binary in (('ctl', 'nova-scheduler'), ('ctl', 'nova-conductor')):
            objects.Service(context=cctxt, host=host, binary=binary, topic=binary[5:],
                            last_seen_up=timeutils.utcnow()).create()
        service = objects.Service(context=cctxt, host='host2', binary='nova-compute',
                                  topic='compute', last_seen_up=timeutils.utcnow())
        service.create()
        node = objects.ComputeNode(
            context=cctxt, host='host2', hypervisor_hostname='host2.example',
            vcpus=4, memory_mb=8192, local_gb=100, vcpus_used=0, memory_mb_used=0,
            local_gb_used=0, hypervisor_type='fake', hypervisor_version=1000,
            cpu_info='{"arch": "x86_64"}', free_ram_mb=8192, free_disk_gb=100,
            current_workload=0, running_vms=0, disk_available_least=100,
            host_ip='192.168.1.3', supported_hv_specs=[], cpu_allocation_ratio=16.0,
            ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, service_id=service.id,
            stats={}, mapped=0)
        node.create()
        first = objects.ComputeNodeList.get_all_by_host(cctxt, 'host1')[0]
        for one in (first, node):
            one.cpu_info = LIBVIRT_CPU_INFO
            one.save()
    ids['node_id'] = str(first.id)
    ids['first_node'] = first.uuid


def _london_aggregate(ids):
    ctxt = nova_context.get_admin_context()
    aggregate = objects.Aggregate(context=ctxt, name='london-agg',
                                  metadata={'availability_zone': 'london'})
    aggregate.create()
    aggregate.add_host('host2')  # no instances there: its zone may change, it may leave
    ids['london'] = str(aggregate.id)


def _launched_servers(cell, ids):
    """The seeded servers and one more of the owner, running since T0."""
    extra = seeded.server_in_cell(cell, seeded.OWNER_PROJECT, 'owner', name='second')
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for instance_uuid in (ids['servers'], ids['other_server'], extra):
            instance = objects.Instance.get_by_uuid(cctxt, instance_uuid)
            instance.launched_at = T0
            instance.save()


def _migrations(cell, ids):
    """As upstream's samples: two resizes and two live migrations, one running."""
    ctxt = nova_context.get_admin_context()
    made = []
    with nova_context.target_cell(ctxt, cell) as cctxt:
        for index, (mtype, status) in enumerate((
                ('live-migration', 'running'), ('live-migration', 'error'),
                ('resize', 'error'), ('resize', 'migrating'))):
            migration = objects.Migration(
                context=cctxt, uuid=str(uuid.uuid4()), source_compute='host1',
                dest_compute='host2', source_node='host1.example', dest_node='host2.example',
                dest_host='1.2.3.4', instance_uuid=ids['servers'], status=status,
                migration_type=mtype, old_instance_type_id=1, new_instance_type_id=1,
                user_id='owner', project_id=seeded.OWNER_PROJECT, hidden=False,
                created_at=T0 + datetime.timedelta(hours=index))
            migration.create()
            made.append(migration.uuid)
    # the marker sample lists what is older than the newer three
    ids['migration_marker'] = made[1]


def _aggregate_cases(folder):
    """The same nine calls at 2.1, 2.41 and 2.81."""
    prefix = 'os-aggregates/%s' % folder
    return [
        Case(prefix + 'aggregate-post-resp.json', 'POST', '/os-aggregates',
             prefix + 'aggregate-post-req.json'),
        Case(prefix + 'aggregates-list-get-resp.json', 'GET', '/os-aggregates'),
        Case(prefix + 'aggregates-get-resp.json', 'GET', '/os-aggregates/{london}'),
        Case(prefix + 'aggregate-update-post-resp.json', 'PUT', '/os-aggregates/{london}',
             prefix + 'aggregate-update-post-req.json'),
        Case(prefix + 'aggregates-metadata-post-resp.json', 'POST',
             '/os-aggregates/{london}/action', prefix + 'aggregate-metadata-post-req.json'),
        Case(prefix + 'aggregates-add-host-post-resp.json', 'POST',
             '/os-aggregates/{os-aggregates}/action', {'add_host': {'host': 'host1'}}),
        Case(prefix + 'aggregates-remove-host-post-resp.json', 'POST',
             '/os-aggregates/{london}/action', {'remove_host': {'host': 'host2'}}),
    ]


def _hypervisor_cases():
    cases = []
    for folder, node in (('', '{node_id}'), ('v2.28/', '{node_id}')):
        prefix = 'os-hypervisors/' + folder
        cases += [
            Case(prefix + 'hypervisors-list-resp.json', 'GET', '/os-hypervisors'),
            Case(prefix + 'hypervisors-detail-resp.json', 'GET', '/os-hypervisors/detail'),
            Case(prefix + 'hypervisors-show-resp.json', 'GET', '/os-hypervisors/' + node),
            Case(prefix + 'hypervisors-statistics-resp.json', 'GET',
                 '/os-hypervisors/statistics'),
            Case(prefix + 'hypervisors-uptime-resp.json', 'GET',
                 '/os-hypervisors/%s/uptime' % node),
            Case(prefix + 'hypervisors-search-resp.json', 'GET',
                 '/os-hypervisors/host1/search'),
            Case(prefix + 'hypervisors-with-servers-resp.json', 'GET',
                 '/os-hypervisors/host1/servers'),
            Case(prefix + 'hypervisors-without-servers-resp.json', 'GET',
                 '/os-hypervisors/host2/servers'),
        ]
    prefix = 'os-hypervisors/v2.33/'
    cases += [
        Case(prefix + 'hypervisors-list-resp.json', 'GET', '/os-hypervisors?limit=1'),
        Case(prefix + 'hypervisors-detail-resp.json', 'GET', '/os-hypervisors/detail?limit=1'),
    ]
    for folder in ('v2.53/', 'v2.88/'):
        prefix = 'os-hypervisors/' + folder
        cases += [
            Case(prefix + 'hypervisors-list-resp.json', 'GET', '/os-hypervisors?limit=1'),
            Case(prefix + 'hypervisors-detail-resp.json', 'GET',
                 '/os-hypervisors/detail?limit=1'),
            Case(prefix + 'hypervisors-detail-with-servers-resp.json', 'GET',
                 '/os-hypervisors/detail?hypervisor_hostname_pattern=host1&with_servers=1'),
            Case(prefix + 'hypervisors-show-resp.json', 'GET', '/os-hypervisors/{first_node}'),
            Case(prefix + 'hypervisors-show-with-servers-resp.json', 'GET',
                 '/os-hypervisors/{first_node}?with_servers=1'),
            Case(prefix + 'hypervisors-search-resp.json', 'GET',
                 '/os-hypervisors?hypervisor_hostname_pattern=host1'),
            Case(prefix + 'hypervisors-with-servers-resp.json', 'GET',
                 '/os-hypervisors?hypervisor_hostname_pattern=host1&with_servers=1'),
        ]
    prefix = 'os-hypervisors/v2.53/'
    cases += [
        Case(prefix + 'hypervisors-statistics-resp.json', 'GET', '/os-hypervisors/statistics'),
        Case(prefix + 'hypervisors-uptime-resp.json', 'GET',
             '/os-hypervisors/{first_node}/uptime'),
        Case(prefix + 'hypervisors-without-servers-resp.json', 'GET',
             '/os-hypervisors?hypervisor_hostname_pattern=host2&with_servers=1'),
    ]
    return cases


def _service_cases():
    cases = [Case('os-services/services-list-get-resp.json', 'GET', '/os-services'),
             Case('os-services/v2.11/services-list-get-resp.json', 'GET', '/os-services'),
             Case('os-services/v2.53/services-list-get-resp.json', 'GET', '/os-services')]
    for folder in ('', 'v2.11/'):
        prefix = 'os-services/' + folder
        for name, action in (('service-enable-put', 'enable'),
                             ('service-disable-put', 'disable'),
                             ('service-disable-log-put', 'disable-log-reason')):
            cases.append(Case(prefix + name + '-resp.json', 'PUT', '/os-services/' + action,
                              prefix + name + '-req.json'))
    cases.append(Case('os-services/v2.11/service-force-down-put-resp.json', 'PUT',
                      '/os-services/force-down',
                      'os-services/v2.11/service-force-down-put-req.json'))
    prefix = 'os-services/v2.53/'
    for name in ('service-enable-put', 'service-disable-put', 'service-disable-log-put',
                 'service-force-down-put'):
        cases.append(Case(prefix + name + '-resp.json', 'PUT', '/os-services/{os-services}',
                          prefix + name + '-req.json'))
    return cases


def _migration_cases():
    cases = [Case('os-migrations/migrations-get.json', 'GET', '/os-migrations'),
             Case('os-migrations/v2.23/migrations-get.json', 'GET', '/os-migrations')]
    for folder in ('v2.59', 'v2.66', 'v2.80'):
        prefix = 'os-migrations/%s/' % folder
        cases += [
            Case(prefix + 'migrations-get.json', 'GET', '/os-migrations'),
            Case(prefix + 'migrations-get-with-limit.json', 'GET', '/os-migrations?limit=1'),
            Case(prefix + 'migrations-get-with-marker.json', 'GET',
                 '/os-migrations?marker={migration_marker}'),
            Case(prefix + 'migrations-get-with-changes-since.json', 'GET',
                 '/os-migrations?changes-since=2020-01-01T01:30:00Z'),
        ]
    for folder in ('v2.66', 'v2.80'):
        cases.append(Case('os-migrations/%s/migrations-get-with-changes-before.json' % folder,
                          'GET', '/os-migrations?changes-before=2020-01-01T00:30:00Z'))
    cases.append(Case('os-migrations/v2.80/migrations-get-with-user-or-project-id.json',
                      'GET', '/os-migrations?user_id=owner&project_id=%s'
                      % seeded.OWNER_PROJECT))
    return cases


def _usage_cases():
    base = 'os-simple-tenant-usage/'
    return [
        Case(base + 'simple-tenant-usage-get.json', 'GET', '/os-simple-tenant-usage?' + PERIOD),
        Case(base + 'simple-tenant-usage-get-detail.json', 'GET',
             '/os-simple-tenant-usage?detailed=1&' + PERIOD),
        Case(base + 'simple-tenant-usage-get-specific.json', 'GET',
             '/os-simple-tenant-usage/{os-simple-tenant-usage}?' + PERIOD),
        Case(base + 'v2.40/simple-tenant-usage-get.json', 'GET',
             '/os-simple-tenant-usage?limit=1&' + PERIOD),
        Case(base + 'v2.40/simple-tenant-usage-get-all.json', 'GET',
             '/os-simple-tenant-usage?detailed=1&' + PERIOD),
        Case(base + 'v2.40/simple-tenant-usage-get-detail.json', 'GET',
             '/os-simple-tenant-usage?detailed=1&limit=1&' + PERIOD),
        Case(base + 'v2.40/simple-tenant-usage-get-specific.json', 'GET',
             '/os-simple-tenant-usage/{os-simple-tenant-usage}?limit=1&' + PERIOD),
    ]


CASES = (
    _aggregate_cases('') + _aggregate_cases('v2.41/') + _aggregate_cases('v2.81/')
    + [Case('os-availability-zone/availability-zone-list-resp.json', 'GET',
            '/os-availability-zone'),
       Case('os-availability-zone/availability-zone-detail-resp.json', 'GET',
            '/os-availability-zone/detail')]
    + _hypervisor_cases() + _service_cases() + _migration_cases() + _usage_cases()
)

# At ``latest`` each resource keeps the shape of its newest sample.
LATEST_SAMPLES = (
    'os-aggregates/v2.81/aggregates-list-get-resp.json',
    'os-aggregates/v2.81/aggregates-get-resp.json',
    'os-aggregates/v2.81/aggregates-add-host-post-resp.json',
    'os-availability-zone/availability-zone-detail-resp.json',
    'os-hypervisors/v2.88/hypervisors-list-resp.json',
    'os-hypervisors/v2.88/hypervisors-detail-resp.json',
    'os-hypervisors/v2.88/hypervisors-show-with-servers-resp.json',
    'os-hypervisors/v2.88/hypervisors-search-resp.json',
    'os-services/v2.53/services-list-get-resp.json',
    'os-services/v2.53/service-disable-log-put-resp.json',
    'os-migrations/v2.80/migrations-get-with-limit.json',
    'os-simple-tenant-usage/v2.40/simple-tenant-usage-get-specific.json',
)
LATEST_CASES = [case for case in CASES if case.sample in LATEST_SAMPLES]

# Responses that need a cell which does not answer (see test_down_cell_services).
DOWN_CELL_CASES = [
    Case('os-services/v2.69/services-list-get-resp.json', 'GET',
         '/os-services?binary=nova-compute&host=host9'),
]

WAIVED = {}


@pytest.mark.parametrize('case', CASES, ids=lambda case: case.sample)
def test_response_matches_sample(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, case, ids)


def test_zone_detail_service_entries(cloud):
    """``hosts`` is keyed by host and binary (free-form to the shape walk); the entry
    of each service has the sample's keys."""
    client, _ids = cloud
    name = 'os-availability-zone/availability-zone-detail-resp.json'
    expected = {key for zone in shapes.load(name)['availabilityZoneInfo']
                for services in zone['hosts'].values()
                for entry in services.values() for key in entry}
    zones = client.get('/os-availability-zone/detail').json_body_or_none[
        'availabilityZoneInfo']
    entries = [entry for zone in zones for services in zone['hosts'].values()
               for entry in services.values()]
    assert {zone['zoneName'] for zone in zones} == {'internal', 'nova', 'london'}
    assert len(entries) == 4  # scheduler and conductor; host1 in nova, host2 in london
    assert all(set(entry) == expected for entry in entries), entries


@pytest.mark.parametrize('case', LATEST_CASES, ids=lambda case: case.sample)
def test_latest_keeps_the_newest_shape(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, case, ids, version='latest')


def test_latest_covers_every_resource():
    assert len(LATEST_CASES) == len(LATEST_SAMPLES)
    assert {name.split('/')[0] for name in LATEST_SAMPLES} == set(FOLDERS)


@pytest.fixture
def down_cell(cloud, tmp_path):
    """A second cell whose database cannot be opened, with one mapped compute host."""
    ctxt = nova_context.get_admin_context()
    cell = objects.CellMapping(
        context=ctxt, uuid=str(uuid.uuid4()), name='down',
        database_connection='sqlite:///%s' % (tmp_path / 'missing' / 'down.db'),
        transport_url='none:///')
    cell.create()
    objects.HostMapping(context=ctxt, host='host9', cell_mapping=cell).create()
    return cloud


@pytest.mark.parametrize('case', DOWN_CELL_CASES, ids=lambda case: case.sample)
def test_down_cell_services(down_cell, case):
    client, ids = down_cell
    shapes.assert_matches(client, case, ids)
    # the computes of the cells that answer are listed in full next to it
    listed = client.get('/os-services', version='2.69').json_body_or_none['services']
    assert {s['host']: s['status'] for s in listed if s['binary'] == 'nova-compute'} == {
        'host1': 'enabled', 'host2': 'enabled', 'host9': 'UNKNOWN'}
    before = client.get('/os-services', version='2.68').json_body_or_none['services']
    assert 'host9' not in {s['host'] for s in before}


def test_every_response_sample_is_checked():
    assert shapes.unclaimed(FOLDERS, CASES + DOWN_CELL_CASES, WAIVED) == []


def test_unsuffixed_response_samples_are_checked():
    """Migrations and usage samples are responses without '-resp' in their name."""
    claimed = {case.sample for case in CASES + DOWN_CELL_CASES} | set(WAIVED)
    missing = [str(path.relative_to(shapes.ROOT))
               for folder in UNSUFFIXED_RESPONSE_FOLDERS
               for path in sorted((shapes.ROOT / folder).rglob('*.json'))
               if str(path.relative_to(shapes.ROOT)) not in claimed]
    assert missing == []
