"""A cell with two instances for the metadata API to serve, on per-test SQLite files."""

import base64

import pytest
from oslo_utils import uuidutils

import nova.conf
from nova import context as nova_context
from nova import objects
from tests.unit.objects.conftest import _template_dbs, dbs  # noqa: F401

CONF = nova.conf.CONF
PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMetadataTestKey meta@test'
USER_DATA = b'#cloud-config\nruncmd: [echo hi]\n'


def _vif(address):
    return {'id': uuidutils.generate_uuid(), 'address': 'fa:16:3e:00:00:01', 'type': 'ovs',
            'network': {'id': uuidutils.generate_uuid(), 'label': 'private',
                        'meta': {'mtu': 1500},
                        'subnets': [{'cidr': address.rsplit('.', 1)[0] + '.0/24',
                                     'gateway': {'address': '10.9.9.1'}
                                     if address.startswith('10.') else None,
                                     'dns': [], 'ips': [{'address': address,
                                                         'type': 'fixed'}]}]}}


def _instance(cctxt, flavor, name, address, **extra):
    keypair = objects.KeyPair(name='k1', type='ssh', public_key=PUBLIC_KEY,
                              user_id='u1')
    values = dict(uuid=uuidutils.generate_uuid(), project_id='p1', user_id='u1',
                  host='host1', node='node1', vm_state='active', display_name=name,
                  hostname=name, memory_mb=512, vcpus=1, launch_index=0,
                  availability_zone='nova', key_name='k1', key_data=PUBLIC_KEY,
                  user_data=base64.b64encode(USER_DATA).decode(), config_drive='',
                  metadata={'role': name}, system_metadata={})
    values.update(extra)
    inst = objects.Instance(cctxt, **values)
    inst.flavor = flavor
    inst.old_flavor = None
    inst.new_flavor = None
    inst.keypairs = objects.KeyPairList(objects=[keypair])
    inst.create()
    inst.info_cache.network_info = [_vif(address)]
    inst.info_cache.save()
    return inst


@pytest.fixture
def cloud(dbs):  # noqa: F811
    """cell0 (empty) + cell1 holding 'local' (fixed IP 127.0.0.1) and 'remote'."""
    from nova import rpc
    rpc.register_opts(CONF)
    objects.register_all()
    ctxt = nova_context.get_admin_context()
    nova_context.reset_cell_cache()
    objects.CellMapping(context=ctxt, uuid=objects.CellMapping.CELL0_UUID, name='cell0',
                        database_connection='sqlite:///%s' % dbs[1].with_name('c0.sqlite'),
                        transport_url='none:///').create()
    cell = objects.CellMapping(context=ctxt, uuid=uuidutils.generate_uuid(), name='cell1',
                               database_connection='sqlite:///%s' % dbs[1],
                               transport_url='none:///')
    cell.create()
    instances = {}
    with nova_context.target_cell(ctxt, cell) as cctxt:
        flavor = objects.Flavor(ctxt, name='m1.tiny', flavorid='1', memory_mb=512,
                                vcpus=1, root_gb=1, ephemeral_gb=0, swap=0)
        flavor.create()
        instances['local'] = _instance(cctxt, flavor, 'local', '127.0.0.1')
        instances['remote'] = _instance(cctxt, flavor, 'remote', '10.9.9.7',
                                        project_id='p2')
        instances['gone'] = _instance(cctxt, flavor, 'gone', '10.9.9.8')
        instances['gone'].destroy()
    for inst in instances.values():
        objects.InstanceMapping(context=ctxt, instance_uuid=inst.uuid, cell_mapping=cell,
                                project_id=inst.project_id).create()
    yield instances
    nova_context.reset_cell_cache()
