"""A small populated cloud for tests that sweep every route: policy matrix and fuzz.

Two projects own one server each (in cell1), there is a flavor with an
extra spec, a keypair of the owner, a live nova-compute with its node.
Personas are noauth2 tokens plus ``X-Roles``, as keystonemiddleware would
hand the roles over.  Conductor sits behind oslo.messaging's fake transport
(nobody consumes: an RPC call times out at once), and Glance is an in-memory
catalogue: neither can run inside a unit test.
"""

import collections
import copy
import sqlite3
import uuid

import oslo_messaging
from oslo_messaging._drivers import impl_fake
from oslo_messaging import opts as messaging_opts
from oslo_utils import timeutils

import nova.conf
from nova.compute import api as compute_api
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import rpc

CONF = nova.conf.CONF

IMAGE = '70a599e0-31e7-49b7-b260-868f441e862b'
OWNER_PROJECT = 'owner-project'
OTHER_PROJECT = 'other-project'

# persona -> (noauth2 token, X-Roles)
PERSONAS = {
    'admin': ('admin:admin', 'admin,manager,member,reader'),
    'manager': ('boss:%s' % OWNER_PROJECT, 'manager,member,reader'),
    'member': ('owner:%s' % OWNER_PROJECT, 'member,reader'),
    'reader': ('auditor:%s' % OWNER_PROJECT, 'reader'),
    'other_member': ('eve:%s' % OTHER_PROJECT, 'member,reader'),
    'service': ('nova-svc:service', 'service'),
}

# credentials as the policy engine sees them, for working out expectations
CREDENTIALS = {
    'admin': dict(user_id='admin', project_id='admin',
                  roles=['admin', 'manager', 'member', 'reader']),
    'manager': dict(user_id='boss', project_id=OWNER_PROJECT,
                    roles=['manager', 'member', 'reader']),
    'member': dict(user_id='owner', project_id=OWNER_PROJECT, roles=['member', 'reader']),
    'reader': dict(user_id='auditor', project_id=OWNER_PROJECT, roles=['reader']),
    'other_member': dict(user_id='eve', project_id=OTHER_PROJECT, roles=['member', 'reader']),
    'service': dict(user_id='nova-svc', project_id='service', roles=['service']),
}


class Images(object):
    """An in-memory Glance that knows one image (the image proxy reads and edits it)."""

    def __init__(self):
        self.images = {IMAGE: {
            'id': IMAGE, 'name': 'cirros', 'status': 'active', 'min_ram': 0,
            'min_disk': 0, 'size': 1024, 'disk_format': 'qcow2',
            'container_format': 'bare', 'properties': {'architecture': 'x86_64'}}}

    def get(self, context, image_id):
        if image_id in self.images:
            return copy.deepcopy(self.images[image_id])
        raise exception.ImageNotFound(image_id=image_id)

    def get_all(self, context, filters=None, limit=None, marker=None, **kwargs):
        """Glance's list: equality filters (``property-<name>`` on properties), paged."""
        found = []
        for image in self.images.values():
            wanted = True
            for key, value in (filters or {}).items():
                if key.startswith('property-'):
                    have = image['properties'].get(key[len('property-'):])
                elif key in ('name', 'status', 'min_ram', 'min_disk'):
                    have = image.get(key)
                else:
                    have = value  # a filter Glance has and this fake does not
                wanted = wanted and str(have) == str(value)
            if wanted:
                found.append(copy.deepcopy(image))
        found.sort(key=lambda image: image['id'])
        if marker is not None:
            ids = [image['id'] for image in found]
            if marker not in ids:
                raise exception.ImageBadRequest(image_id=marker, response='no such marker')
            found = found[ids.index(marker) + 1:]
        return found if limit is None else found[:limit]

    def update(self, context, image_id, image_meta, data=None, purge_props=False):
        image = self.images.get(image_id)
        if image is None:
            raise exception.ImageNotFound(image_id=image_id)
        properties = dict(image_meta.get('properties') or {})
        image['properties'] = properties if purge_props else dict(image['properties'],
                                                                 **properties)
        return copy.deepcopy(image)

    def delete(self, context, image_id):
        if self.images.pop(image_id, None) is None:
            raise exception.ImageNotFound(image_id=image_id)
        return True


def headers_for(persona):
    token, roles = PERSONAS[persona]
    return token, {'X-Roles': roles}


def server_in_cell(cell, project_id, user_id, vm_state='active', name='seeded'):
    ctxt = nova_context.get_admin_context()
    flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
    instance_uuid = str(uuid.uuid4())
    with nova_context.target_cell(ctxt, cell) as cctxt:
        objects.Instance(
            context=cctxt, uuid=instance_uuid, project_id=project_id, user_id=user_id,
            display_name=name, image_ref=IMAGE, vm_state=vm_state, task_state=None,
            power_state=1, host='host1', node='host1.example', flavor=flavor,
            instance_type_id=flavor.id, memory_mb=512, vcpus=1, root_gb=1, ephemeral_gb=0,
            metadata={'k': 'v'}, system_metadata={}, availability_zone='nova',
            launch_index=0,
            info_cache=objects.InstanceInfoCache(network_info=[])).create()
    objects.InstanceMapping(context=ctxt, instance_uuid=instance_uuid, project_id=project_id,
                            user_id=user_id, cell_mapping=cell,
                            queued_for_delete=False).create()
    return instance_uuid


def _calls_nobody_listens_to_time_out_at_once(monkeypatch):
    """A call to a topic no server listens on fails with the MessagingTimeout it
    would get after ``rpc_response_timeout``, without waiting that long."""
    listening = set()
    real_listen, real_send = impl_fake.FakeDriver.listen, impl_fake.FakeDriver.send

    def listen(self, target, *args, **kwargs):
        listening.add((target.topic, target.server))
        return real_listen(self, target, *args, **kwargs)

    def send(self, target, ctxt, message, wait_for_reply=None, timeout=None, **kwargs):
        if wait_for_reply and not any(
                topic == target.topic and target.server in (None, server)
                for topic, server in listening):
            raise oslo_messaging.MessagingTimeout('No reply on topic %s' % target.topic)
        return real_send(self, target, ctxt, message, wait_for_reply, timeout, **kwargs)

    monkeypatch.setattr(impl_fake.FakeDriver, 'listen', listen)
    monkeypatch.setattr(impl_fake.FakeDriver, 'send', send)



def host1_compute_node(cctxt, service):
    """The compute node 'host1.example' of ``service`` (4 vCPUs, 8 GiB), created."""
    node = objects.ComputeNode(
        context=cctxt, host='host1', hypervisor_hostname='host1.example',
        vcpus=4, memory_mb=8192, local_gb=100, vcpus_used=0, memory_mb_used=512,
        local_gb_used=0, hypervisor_type='fake', hypervisor_version=1000,
        cpu_info='{"arch": "x86_64"}', free_ram_mb=7680, free_disk_gb=100,
        current_workload=0, running_vms=0, disk_available_least=100,
        host_ip='192.168.1.2', supported_hv_specs=[], cpu_allocation_ratio=16.0,
        ram_allocation_ratio=1.5, disk_allocation_ratio=1.0, service_id=service.id,
        stats={}, mapped=0)
    node.create()
    return node

def start(monkeypatch):
    """What a test of the seeded cloud needs besides its databases: the fake
    transport (calls nobody listens to time out at once) and a fresh Glance."""
    rpc.register_opts(CONF)
    CONF.set_override('transport_url', 'fake:/')
    rpc.cleanup()
    rpc.init(CONF)
    for group, opts in messaging_opts.list_opts():  # rpc_response_timeout is among them
        if group in (None, 'DEFAULT'):
            CONF.register_opts(opts)
    CONF.set_override('rpc_response_timeout', 1)
    _calls_nobody_listens_to_time_out_at_once(monkeypatch)
    monkeypatch.setattr(compute_api.get(), 'image_api', Images())


def populate(cell):
    """Create the seeded rows in the databases nova points at (``cell`` is their
    cell1); returns ids keyed by route collection.  Run once per session into
    template files, which every test then gets fresh copies of."""
    ctxt = nova_context.get_admin_context()
    flavor = objects.Flavor(context=ctxt, flavorid='1', name='m1.tiny', memory_mb=512,
                            vcpus=1, root_gb=1, ephemeral_gb=0, swap=0, is_public=True,
                            extra_specs={'hw:cpu_policy': 'shared'})
    flavor.create()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        service = objects.Service(context=cctxt, host='host1', binary='nova-compute',
                                  topic='compute', last_seen_up=timeutils.utcnow())
        service.create()
        node = host1_compute_node(cctxt, service)
    objects.KeyPair(context=ctxt, user_id='owner', name='owner-key', type='ssh',
                    public_key='ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ owner',
                    fingerprint='aa:bb').create()
    ids = collections.OrderedDict()
    ids['servers'] = server_in_cell(cell, OWNER_PROJECT, 'owner')
    ids['other_server'] = server_in_cell(cell, OTHER_PROJECT, 'eve')
    ids['flavors'] = '1'
    ids['os-extra_specs'] = 'hw:cpu_policy'
    ids['os-keypairs'] = 'owner-key'
    ids['os-services'] = service.uuid
    ids['os-hypervisors'] = node.uuid
    aggregate = objects.Aggregate(context=ctxt, name='agg1', metadata={})
    aggregate.create()
    ids['os-aggregates'] = str(aggregate.id)
    group = objects.InstanceGroup(context=ctxt, project_id=OWNER_PROJECT, user_id='owner',
                                  name='group1', policy='affinity', rules={})
    group.create()
    ids['os-server-groups'] = group.uuid
    ids['os-volumes_boot'] = ids['servers']
    ids['metadata'] = 'k'
    ids['ips'] = 'private'
    ids['tags'] = 'tag1'
    ids['images'] = IMAGE
    for collection in ('os-quota-sets', 'os-simple-tenant-usage'):
        ids[collection] = OWNER_PROJECT
    ids['os-quota-class-sets'] = 'default'
    return ids


def adopt(paths, cell_uuid):
    """Make fresh copies of the seeded files this test's own: the cell1 mapping
    names the copied cell database, nova-compute reported just now (the template
    was seeded earlier in the session than ``service_down_time`` may reach)."""
    api_path, main_path = paths
    now = timeutils.utcnow().strftime('%Y-%m-%d %H:%M:%S.%f')
    for path, sql, args in (
            (api_path, 'UPDATE cell_mappings SET database_connection = ? WHERE uuid = ?',
             ('sqlite:///%s' % main_path, cell_uuid)),
            (main_path, 'UPDATE services SET last_seen_up = ?', (now,))):
        connection = sqlite3.connect(str(path))
        try:
            connection.execute('PRAGMA synchronous = OFF')  # scratch files, as for oslo.db
            with connection:
                assert connection.execute(sql, args).rowcount == 1
        finally:
            connection.close()


def stop():
    rpc.cleanup()
    CONF.clear_override('transport_url')
    CONF.clear_override('rpc_response_timeout')


def environmental(res):
    """A 500 from an RPC call timing out: nothing consumes RPC here (fake transport),
    so a controller that calls a compute host gives up."""
    return res.status_int == 500 and b'MessagingTimeout' in res.body
