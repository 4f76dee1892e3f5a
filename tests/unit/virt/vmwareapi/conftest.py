import uuid

import pytest

import nova.conf
from nova import objects

CONF = nova.conf.CONF


@pytest.fixture
def conf(tmp_path):
    """[vmware] options of a vCenter nobody listens at (port 9 of loopback)."""
    overrides = [('state_path', str(tmp_path), None), ('host_ip', '127.0.0.1', 'vmware'),
                 ('host_port', 9, 'vmware'), ('host_username', 'admin', 'vmware'),
                 ('host_password', 'secret', 'vmware'), ('cluster_name', 'C0', 'vmware'),
                 ('api_retry_count', 2, 'vmware'), ('task_poll_interval', 0.01, 'vmware')]
    for name, value, group in overrides:
        CONF.set_override(name, value, group=group)
    yield CONF
    for name, _, group in overrides:
        CONF.clear_override(name, group=group)


def make_instance(extra_specs=None, **flavor_kw):
    objects.register_all()
    flavor = dict(name='m1.small', memory_mb=2048, vcpus=2, root_gb=20, ephemeral_gb=0,
                  swap=0, flavorid='2', extra_specs=extra_specs or {})
    flavor.update(flavor_kw)
    return objects.Instance(uuid=str(uuid.uuid4()), image_ref=str(uuid.uuid4()),
                            user_id='u1', project_id='p1', display_name='web-1',
                            flavor=objects.Flavor(**flavor))
