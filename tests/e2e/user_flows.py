"""What a user does with a fresh all-in-one cloud, through the real clients:
the openstack CLI, python-novaclient and openstacksdk (all from the services
virtualenv), with password authentication through Keystone."""

import json
import os
import subprocess
import textwrap
import time

from tools.allinone_lib import layout

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES_PYTHON = os.path.join(layout.SERVICES_VENV, 'bin', 'python')


def _in_openrc(state_dir, command, timeout=300):
    """Run a shell command with the cloud's openrc sourced; return stdout."""
    script = '. %s && %s' % (os.path.join(str(state_dir), 'openrc'), command)
    result = subprocess.run(['bash', '-c', script], capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise AssertionError('%s failed (%d):\n%s\n%s' % (command, result.returncode,
                                                          result.stdout[-3000:],
                                                          result.stderr[-3000:]))
    return result.stdout


def osc(state_dir, *args, timeout=300):
    """`openstack <args> -f json`, parsed."""
    out = _in_openrc(state_dir, 'openstack %s -f json' % ' '.join(args), timeout=timeout)
    return json.loads(out) if out.strip() else None


def osc_plain(state_dir, *args, timeout=300):
    return _in_openrc(state_dir, 'openstack %s' % ' '.join(args), timeout=timeout)


def services_python(state_dir, code, timeout=600):
    path = os.path.join(str(state_dir), 'flow-%d.py' % time.monotonic_ns())
    with open(path, 'w') as f:
        f.write(textwrap.dedent(code))
    return _in_openrc(state_dir, '%s %s' % (SERVICES_PYTHON, path), timeout=timeout)


def cli_flow(state_dir):
    server = osc(state_dir, 'server create --flavor m1.tiny --image cirros-fake --nic none',
                 '--wait demo')
    assert server['status'] == 'ACTIVE', server
    listed = osc(state_dir, 'server list')
    assert [(s['Name'], s['Status']) for s in listed] == [('demo', 'ACTIVE')]
    shown = osc(state_dir, 'server show demo')
    assert shown['id'] == server['id'] and shown['OS-EXT-STS:vm_state'] == 'active'
    services = osc(state_dir, 'compute service list')
    assert sorted((s['Binary'], s['State']) for s in services) == [
        ('nova-compute', 'up'), ('nova-conductor', 'up'), ('nova-scheduler', 'up')]
    hypervisors = osc(state_dir, 'hypervisor list')
    assert [h['Hypervisor Type'] for h in hypervisors] == ['fake']
    flavors = osc(state_dir, 'flavor list')
    assert {f['Name'] for f in flavors} >= {'m1.tiny', 'm1.small', 'm1.medium', 'm1.large',
                                            'm1.xlarge'}
    server_extras_cli_flow(state_dir)
    keypair = osc_plain(state_dir, 'keypair create e2e-key')
    assert 'PRIVATE KEY' in keypair
    assert [k['Name'] for k in osc(state_dir, 'keypair list')] == ['e2e-key']
    osc_plain(state_dir, 'server delete --wait demo')
    assert osc(state_dir, 'server list') == []


def server_extras_cli_flow(state_dir):
    """Metadata (server set/unset --property) and server groups through the CLI."""
    osc_plain(state_dir, 'server set --property role=web --property tier=1 demo')
    properties = osc(state_dir, 'server show demo')['properties']
    if isinstance(properties, str):  # older clients print "role='web', tier='1'"
        assert "role='web'" in properties and "tier='1'" in properties, properties
    else:
        assert properties == {'role': 'web', 'tier': '1'}, properties
    osc_plain(state_dir, 'server unset --property tier demo')
    properties = osc(state_dir, 'server show demo')['properties']
    assert 'tier' not in properties and 'role' in properties, properties
    group = osc(state_dir, 'server group create --policy anti-affinity e2e-group')
    assert group['name'] == 'e2e-group', group
    assert [g['Name'] for g in osc(state_dir, 'server group list')] == ['e2e-group']
    osc_plain(state_dir, 'server group delete e2e-group')
    assert osc(state_dir, 'server group list') == []


def _wait_status(state_dir, name, status, timeout=120):
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        shown = osc(state_dir, 'server show', name)
        if shown['status'] == status and not shown.get('OS-EXT-STS:task_state'):
            return shown
        time.sleep(0.5)
    raise AssertionError('%s never reached %s: %s' % (name, status, shown))


def actions_flow(state_dir):
    """Server actions and the event log through the openstack CLI."""
    osc(state_dir, 'server create --flavor m1.tiny --image cirros-fake --nic none',
        '--wait acts')
    for command, status in (('stop', 'SHUTOFF'), ('start', 'ACTIVE'),
                            ('reboot --hard', 'ACTIVE'), ('reboot', 'ACTIVE'),
                            ('pause', 'PAUSED'), ('unpause', 'ACTIVE'),
                            ('suspend', 'SUSPENDED'), ('resume', 'ACTIVE')):
        osc_plain(state_dir, 'server', command, 'acts')
        _wait_status(state_dir, 'acts', status)
    osc_plain(state_dir, 'server lock acts')
    assert osc(state_dir, 'server show acts')['locked'] in (True, 'True')
    osc_plain(state_dir, 'server unlock acts')
    image = osc(state_dir, 'server image create --name acts-snap --wait acts')
    assert image['status'] == 'active', image
    events = osc(state_dir, 'server event list acts')
    assert [e['Action'] for e in events][:3] == ['createImage', 'unlock', 'lock'], events
    assert {'stop', 'start', 'reboot', 'pause', 'unpause', 'suspend', 'resume',
            'create'} <= {e['Action'] for e in events}
    request_id = events[-1]['Request ID']
    shown = osc(state_dir, 'server event show acts', request_id)
    assert shown['action'] == 'create'
    osc_plain(state_dir, 'image delete acts-snap')
    osc_plain(state_dir, 'server set --name acts-renamed acts')
    assert osc(state_dir, 'server show acts-renamed')['name'] == 'acts-renamed'
    assert 'acts' not in [s['Name'] for s in osc(state_dir, 'server list')]
    osc_plain(state_dir, 'server delete --wait acts-renamed')


NOVACLIENT_FLOW = """
    import datetime, os, time
    from keystoneauth1 import loading, session
    from novaclient import client
    loader = loading.get_plugin_loader('password')
    auth = loader.load_from_options(
        auth_url=os.environ['OS_AUTH_URL'], username=os.environ['OS_USERNAME'],
        password=os.environ['OS_PASSWORD'], project_name=os.environ['OS_PROJECT_NAME'],
        user_domain_name=os.environ['OS_USER_DOMAIN_NAME'],
        project_domain_name=os.environ['OS_PROJECT_DOMAIN_NAME'])
    sess = session.Session(auth=auth)
    nova = client.Client('2.37', session=sess)
    image = nova.glance.find_image('cirros-fake')
    server = nova.servers.create('novaclient-vm', image, nova.flavors.find(name='m1.tiny'),
                                 nics='none')
    for _ in range(600):
        server = nova.servers.get(server.id)
        if server.status in ('ACTIVE', 'ERROR'):
            break
        time.sleep(0.1)
    assert server.status == 'ACTIVE', server.status
    assert [s.name for s in nova.servers.list()] == ['novaclient-vm']
    nova.servers.set_meta(server, {'a': 'b', 'c': 'd'})
    nova.servers.delete_meta(server, ['c'])
    assert nova.servers.get(server.id).metadata == {'a': 'b'}
    nova.servers.add_tag(server, 'blue')
    assert nova.servers.tag_list(server) == ['blue']
    group = nova.server_groups.create(name='nc-group', policies=['anti-affinity'])
    assert [g.id for g in nova.server_groups.list()] == [group.id]
    nova.server_groups.delete(group.id)
    assert nova.server_groups.list() == []
    assert len(nova.services.list(binary='nova-compute')) == 1
    assert nova.hypervisors.list()[0].hypervisor_type == 'fake'

    def wait(status):
        for _ in range(600):
            shown = nova.servers.get(server.id)
            if shown.status in (status, 'ERROR'):
                break
            time.sleep(0.1)
        assert shown.status == status, (status, shown.status)
        return shown
    for call, args, status in ((nova.servers.stop, (), 'SHUTOFF'),
                               (nova.servers.start, (), 'ACTIVE'),
                               (nova.servers.reboot, (), 'ACTIVE'),
                               (nova.servers.reboot, ('HARD',), 'ACTIVE'),
                               (nova.servers.pause, (), 'PAUSED'),
                               (nova.servers.unpause, (), 'ACTIVE'),
                               (nova.servers.suspend, (), 'SUSPENDED'),
                               (nova.servers.resume, (), 'ACTIVE')):
        call(server, *args)
        wait(status)
    nova.servers.lock(server)
    assert nova.servers.get(server.id).locked is True
    nova.servers.unlock(server)
    assert nova.servers.get(server.id).locked is False
    nova.servers.update(server, name='novaclient-renamed')
    assert nova.servers.get(server.id).name == 'novaclient-renamed'
    nova.servers.set_meta_item(server, 'e', 'f')
    assert nova.servers.get(server.id).metadata == {'a': 'b', 'e': 'f'}
    # Before 2.45 the image id comes from the Location header.
    image_id = nova.servers.create_image(server, 'novaclient-snap')
    image_url = '/v2/images/%s' % image_id
    for _ in range(600):
        snap = sess.get(image_url, endpoint_filter={'service_type': 'image'}).json()
        if snap['status'] in ('active', 'killed'):
            break
        time.sleep(0.1)
    assert snap['status'] == 'active', snap
    wait('ACTIVE')
    sess.delete(image_url, endpoint_filter={'service_type': 'image'})
    actions = nova.instance_action.list(server)
    assert {'create', 'stop', 'start', 'reboot', 'pause', 'unpause', 'suspend', 'resume',
            'lock', 'unlock', 'createImage'} <= {a.action for a in actions}, actions
    first = nova.instance_action.get(server, actions[-1].request_id)
    assert first.action == 'create' and first.events, first
    project = sess.get_project_id()
    start = datetime.datetime.utcnow() - datetime.timedelta(hours=1)
    end = datetime.datetime.utcnow() + datetime.timedelta(hours=1)
    usage = nova.usage.get(project, start, end)
    assert server.id in [u['instance_id'] for u in usage.server_usages], usage
    stats = nova.hypervisor_stats.statistics()
    assert stats.count == 1 and stats.running_vms >= 1, stats
    nova.servers.delete(server)
    for _ in range(600):
        if not nova.servers.list():
            break
        time.sleep(0.1)
    assert nova.servers.list() == []

    # Operator calls (the openrc user is the cloud's admin).
    host = nova.services.list(binary='nova-compute')[0].host
    aggregate = nova.aggregates.create('nc-agg', None)
    nova.aggregates.add_host(aggregate, host)
    nova.aggregates.update(aggregate, {'availability_zone': 'nc-az'})
    nova.aggregates.set_metadata(aggregate, {'ssd': 'true'})
    shown = nova.aggregates.get(aggregate)
    assert (shown.hosts, shown.availability_zone) == ([host], 'nc-az'), shown
    assert shown.metadata.get('ssd') == 'true', shown.metadata
    zones = nova.availability_zones.list(detailed=False)
    assert ('nc-az', True) in [(z.zoneName, z.zoneState['available']) for z in zones], zones
    nova.aggregates.remove_host(aggregate, host)
    nova.aggregates.delete(aggregate)
    assert 'nc-agg' not in [a.name for a in nova.aggregates.list()]
    before = nova.quotas.get(project).instances
    nova.quotas.update(project, instances=before + 3)
    assert nova.quotas.get(project).instances == before + 3
    nova.quotas.update(project, instances=before)
    assert nova.quotas.get(project).instances == before
    print('novaclient ok')
"""

SDK_FLOW = """
    import datetime, time
    import openstack
    conn = openstack.connect(cloud='envvars')
    image = conn.image.find_image('cirros-fake')
    flavor = conn.compute.find_flavor('m1.tiny')
    server = conn.compute.create_server(name='sdk-vm', image_id=image.id,
                                        flavor_id=flavor.id, networks='none')
    server = conn.compute.wait_for_server(server, wait=120)
    assert server.status == 'ACTIVE'
    assert [s.name for s in conn.compute.servers()] == ['sdk-vm']
    assert {s.binary for s in conn.compute.services()} == {
        'nova-conductor', 'nova-scheduler', 'nova-compute'}
    compute = conn.compute

    def wait(status):
        # compute.wait_for_server returns at once when the object it is given
        # already has the status (ACTIVE before a reboot): fetch first.
        for _ in range(600):
            shown = compute.get_server(server.id)
            if shown.status in (status, 'ERROR'):
                break
            time.sleep(0.1)
        assert shown.status == status, (status, shown.status)
        return shown
    for call, args, status in ((compute.stop_server, (), 'SHUTOFF'),
                               (compute.start_server, (), 'ACTIVE'),
                               (compute.reboot_server, ('SOFT',), 'ACTIVE'),
                               (compute.reboot_server, ('HARD',), 'ACTIVE'),
                               (compute.pause_server, (), 'PAUSED'),
                               (compute.unpause_server, (), 'ACTIVE'),
                               (compute.suspend_server, (), 'SUSPENDED'),
                               (compute.resume_server, (), 'ACTIVE')):
        call(server, *args)
        server = wait(status)
    compute.lock_server(server, locked_reason='sdk says so')
    shown = compute.get_server(server)
    assert shown.is_locked is True and shown.locked_reason == 'sdk says so', shown
    compute.unlock_server(server)
    assert compute.get_server(server).is_locked is False
    compute.update_server(server, name='sdk-renamed')
    assert compute.get_server(server).name == 'sdk-renamed'
    compute.set_server_metadata(server, colour='blue')
    assert compute.get_server_metadata(server).metadata == {'colour': 'blue'}
    snap = compute.create_server_image(server, 'sdk-snap', wait=True, timeout=120)
    assert snap.status == 'active', snap
    server = wait('ACTIVE')
    conn.image.delete_image(snap)
    actions = list(compute.server_actions(server))
    assert {'create', 'stop', 'start', 'reboot', 'pause', 'unpause', 'suspend', 'resume',
            'lock', 'unlock', 'createImage'} <= {a.action for a in actions}, actions
    group = compute.create_server_group(name='sdk-group', policy='anti-affinity')
    assert group.policy == 'anti-affinity', group
    assert [g.id for g in compute.server_groups()] == [group.id]
    compute.delete_server_group(group)
    assert list(compute.server_groups()) == []
    project = conn.current_project_id
    usage = compute.get_usage(project, datetime.datetime.utcnow() - datetime.timedelta(hours=1),
                              datetime.datetime.utcnow() + datetime.timedelta(hours=1))
    assert server.id in [u.instance_id for u in usage.server_usages], usage
    hypervisors = list(compute.hypervisors(details=True))
    assert [h.hypervisor_type for h in hypervisors] == ['fake'], hypervisors
    # Hypervisor statistics exist up to 2.87; the SDK has no call for them.
    stats = compute.get('/os-hypervisors/statistics', microversion='2.87').json()
    assert stats['hypervisor_statistics']['count'] == 1, stats
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, wait=120)
    assert list(conn.compute.servers()) == []

    # Operator calls (the openrc user is the cloud's admin).
    host = next(iter(compute.services(binary='nova-compute'))).host
    aggregate = compute.create_aggregate(name='sdk-agg')
    compute.add_host_to_aggregate(aggregate, host)
    compute.update_aggregate(aggregate, availability_zone='sdk-az')
    shown = compute.get_aggregate(aggregate)
    assert (shown.hosts, shown.availability_zone) == ([host], 'sdk-az'), shown
    zones = {z.name: z.state for z in compute.availability_zones()}
    assert zones.get('sdk-az') == {'available': True}, zones
    compute.remove_host_from_aggregate(aggregate, host)
    compute.delete_aggregate(aggregate)
    assert 'sdk-agg' not in [a.name for a in compute.aggregates()]
    before = compute.get_quota_set(project).instances
    compute.update_quota_set(project, instances=before + 2)
    assert compute.get_quota_set(project).instances == before + 2
    compute.update_quota_set(project, instances=before)
    assert compute.get_quota_set(project).instances == before
    print('openstacksdk ok')
"""


def lift_quota(state_dir, project_id):
    """The project needs room for 50 servers: `openstack quota set`, as an operator would."""
    osc_plain(state_dir, 'quota set --instances 60 --cores 120 --ram 61440', project_id)
    shown = osc(state_dir, 'quota show --compute', project_id)
    assert _quota_value(shown, 'instances') == 60, shown


def _quota_value(shown, resource):
    """`quota show -f json` is {resource: limit} or rows of Resource/Limit, by OSC release."""
    if isinstance(shown, dict):
        return shown[resource]
    return [row['Limit'] for row in shown if row['Resource'] == resource][0]


def admin_flow(state_dir):
    """Aggregates with a zone, the zone list, a server in the zone, usage, hypervisor stats
    and quotas, through the openstack CLI as the cloud's admin."""
    host = osc(state_dir, 'compute service list --service nova-compute')[0]['Host']
    aggregate = osc(state_dir, 'aggregate create --zone e2e-az e2e-agg')
    assert aggregate['availability_zone'] == 'e2e-az', aggregate
    osc(state_dir, 'aggregate add host e2e-agg', host)
    osc_plain(state_dir, 'aggregate set --property ssd=true e2e-agg')
    shown = osc(state_dir, 'aggregate show e2e-agg')
    assert shown['hosts'] == [host] and shown['properties'].get('ssd') == 'true', shown
    zones = osc(state_dir, 'availability zone list --compute')
    assert {'Zone Name': 'e2e-az', 'Zone Status': 'available'} in zones, zones
    server = osc(state_dir, 'server create --flavor m1.tiny --image cirros-fake --nic none',
                 '--availability-zone e2e-az --wait az-vm')
    assert server['OS-EXT-AZ:availability_zone'] == 'e2e-az', server
    # The CLI asks detailed=True, which upstream reads as not detailed (only '1' is):
    # one row per project with totals, and no server count.
    usage = osc(state_dir, 'usage list')
    assert len(usage) >= 1 and {'Project', 'CPU Hours'} <= set(usage[0]), usage
    stats = osc(state_dir, 'hypervisor stats show')
    assert stats['count'] == 1 and stats['running_vms'] >= 0, stats
    osc_plain(state_dir, 'server delete --wait az-vm')
    osc(state_dir, 'aggregate remove host e2e-agg', host)
    osc_plain(state_dir, 'aggregate delete e2e-agg')
    project = project_id(state_dir)
    osc_plain(state_dir, 'quota set --instances 7', project)
    assert _quota_value(osc(state_dir, 'quota show --compute', project), 'instances') == 7
    osc_plain(state_dir, 'quota set --instances 10', project)


MULTI_CREATE_FLOW = """
    import json, time
    import openstack
    conn = openstack.connect(cloud='envvars')
    image = conn.image.find_image('cirros-fake')
    flavor = conn.compute.find_flavor('m1.tiny')

    def usages():
        totals = {}
        for rp in conn.placement.resource_providers():
            for rc, used in conn.placement.get(
                    '/resource_providers/%s/usages' % rp.id,
                    microversion='1.9').json()['usages'].items():
                totals[rc] = totals.get(rc, 0) + used
        return totals

    conn.compute.create_server(name='many', image_id=image.id, flavor_id=flavor.id,
                               networks='none', min_count=50, max_count=50)
    deadline = time.time() + 300
    while time.time() < deadline:
        servers = list(conn.compute.servers(name='many'))
        if len(servers) == 50 and all(s.status == 'ACTIVE' for s in servers):
            break
        assert not any(s.status == 'ERROR' for s in servers)
        time.sleep(0.5)
    assert len(servers) == 50 and all(s.status == 'ACTIVE' for s in servers)
    assert usages() == {'VCPU': 50, 'MEMORY_MB': 50 * 512, 'DISK_GB': 50}, usages()
    for server in servers:
        conn.compute.delete_server(server)
    for server in servers:
        conn.compute.wait_for_delete(server, wait=300)
    assert usages() == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}, usages()
    print(json.dumps({'multi_create': 'ok'}))
"""


def project_id(state_dir):
    return osc(state_dir, 'token issue')['project_id']
