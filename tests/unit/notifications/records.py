"""Records the notification tests share: an instance and flavor as the compute
service has them, a request context, and the versioned-object envelope check."""

import datetime

from nova import context as nova_context
from nova import objects

objects.register_all()

UUID = '178b0921-8f85-4257-88b6-2e743b5a975c'
CREATED = datetime.datetime(2012, 10, 29, 13, 42, 11, tzinfo=datetime.timezone.utc)


def flavor():
    return objects.Flavor(id=1, flavorid='1', name='m1.tiny', memory_mb=512, vcpus=1,
                          root_gb=1, ephemeral_gb=0, swap=0, rxtx_factor=1.0,
                          vcpu_weight=None, disabled=False, is_public=True, extra_specs={},
                          description=None)


def instance(**overrides):
    values = dict(
        id=1, uuid=UUID, user_id='fake', project_id='6f70656e737461636b20342065766572',
        reservation_id='r-npxv0e40', display_name='some-server',
        display_description='some-server', hostname='some-server', host='compute',
        node='fake-mini', os_type=None, architecture='x86_64', availability_zone='nova',
        image_ref='155d900f-4e14-4e4c-a73d-069cbf4541e6', key_name='my-key', kernel_id='',
        ramdisk_id='', created_at=CREATED, launched_at=CREATED, terminated_at=None,
        deleted_at=None, updated_at=CREATED, vm_state='active', task_state=None,
        power_state=1, progress=0, metadata={}, system_metadata={}, locked=False,
        auto_disk_config=False, flavor=flavor(),
        info_cache=objects.InstanceInfoCache(network_info=[{
            'id': 'ce531f90-199f-48c0-816c-13e38010b442', 'address': 'fa:16:3e:4c:2c:30',
            'devname': 'tapce531f90-19', 'meta': {},
            'network': {'label': 'private-network', 'subnets': [{'ips': [{
                'address': '192.168.1.3', 'type': 'fixed', 'version': 4}]}]}}]))
    values.update(overrides)
    return objects.Instance(**values)


def context():
    return nova_context.RequestContext(user_id='fake',
                                       project_id='6f70656e737461636b20342065766572',
                                       request_id='req-5b6c791d-5709-4f36-8fbe-c3e02869e35d')


def envelope(primitive, name, version):
    assert primitive['nova_object.name'] == name
    assert primitive['nova_object.namespace'] == 'nova'
    assert primitive['nova_object.version'] == version
    assert set(primitive) == {'nova_object.name', 'nova_object.namespace',
                              'nova_object.version', 'nova_object.data'}
    return primitive['nova_object.data']
