"""Servers written straight into a cell database (ACTIVE on a host, with an
address), for tests of the sub-resources a build request does not have."""

import uuid

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.openstack.compute.test_servers import cloud  # noqa: F401

NETWORK_INFO = [{
    'id': 'a3b5bb72-9f5e-4d9c-9d1c-1ffb6a1c9f01', 'address': '00:0c:29:0d:11:74',
    'network': {'label': 'private', 'subnets': [
        {'ips': [{'address': '192.168.1.30', 'version': 4, 'type': 'fixed',
                  'floating_ips': [{'address': '172.24.4.3', 'version': 4,
                                    'type': 'floating'}]}]}]},
}]


@pytest.fixture
def server(cell1, cloud):  # noqa: F811
    """An ACTIVE server of demo/demoproject in cell1, with an address."""
    return stored_server(cell1)


def stored_server(cell, project_id='demoproject', user_id='demo', **values):
    """An ACTIVE server written straight into ``cell``'s database, mapped, with
    ``NETWORK_INFO`` in its info cache; ``values`` override its fields."""
    ctxt = nova_context.get_admin_context()
    fields = dict(uuid=str(uuid.uuid4()), project_id=project_id, user_id=user_id,
                  host='host1', node='node1', vm_state='active', task_state=None,
                  power_state=1, display_name='vm', memory_mb=512, vcpus=1,
                  metadata={'foo': 'Foo Value'}, system_metadata={}, locked=False)
    fields.update(values)
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance(cctxt, **fields)
        instance.create()
        instance.info_cache.network_info = NETWORK_INFO
        instance.info_cache.save()
    objects.InstanceMapping(ctxt, instance_uuid=instance.uuid, project_id=project_id,
                            user_id=user_id, cell_mapping=cell,
                            queued_for_delete=False).create()
    return instance
