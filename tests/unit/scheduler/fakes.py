"""Building blocks for scheduler unit tests: HostStates and RequestSpecs without a DB."""

import datetime

from oslo_utils import timeutils

from nova import objects
from nova.scheduler import host_manager

objects.register_all()

CELL = '11111111-1111-1111-1111-111111111111'


class FakeService(dict):
    """Enough of a Service for ComputeFilter (servicegroup reads it like a dict)."""

    def __init__(self, disabled=False, updated_at=None, forced_down=False):
        updated_at = updated_at or timeutils.utcnow()
        super().__init__(disabled=disabled, disabled_reason=None, updated_at=updated_at,
                         forced_down=forced_down, created_at=updated_at,
                         last_seen_up=updated_at)
        self.disabled = disabled
        self.disabled_reason = None


def host_state(host='host1', node=None, uuid=None, free_ram_mb=2048, free_disk_mb=20480,
               vcpus_total=4, vcpus_used=0, cpu_allocation_ratio=1.0, num_io_ops=0,
               num_instances=0, instances=None, aggregates=None, service=None,
               supported_instances=None, cell_uuid=CELL, **attrs):
    state = host_manager.HostState(host, node or host, cell_uuid)
    state.uuid = uuid or '%08d-0000-0000-0000-000000000000' % (abs(hash(host)) % 10 ** 8)
    state.free_ram_mb = free_ram_mb
    state.total_usable_ram_mb = free_ram_mb
    state.free_disk_mb = free_disk_mb
    state.vcpus_total = vcpus_total
    state.vcpus_used = vcpus_used
    state.cpu_allocation_ratio = cpu_allocation_ratio
    state.num_io_ops = num_io_ops
    state.num_instances = num_instances
    state.instances = dict(instances or {})
    state.aggregates = list(aggregates or [])
    state.service = service if service is not None else FakeService()
    state.supported_instances = supported_instances or []
    for key, value in attrs.items():
        setattr(state, key, value)
    return state


def aggregate(name='agg', hosts=(), **metadata):
    return objects.Aggregate(id=1, uuid='aaaaaaaa-0000-0000-0000-%012d' % (abs(hash(name)) %
                                                                           10 ** 12),
                             name=name, hosts=list(hosts), metadata=metadata)


def flavor(vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0, swap=0, extra_specs=None):
    return objects.Flavor(id=1, flavorid='1', name='f', vcpus=vcpus, memory_mb=memory_mb,
                          root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=swap,
                          extra_specs=dict(extra_specs or {}))


def request_spec(instance_uuid='0a000000-0000-0000-0000-000000000001', image_props=None,
                 group=None, availability_zone=None, hints=None, num_instances=1,
                 is_bfv=False, **flavor_kwargs):
    spec = objects.RequestSpec(
        instance_uuid=instance_uuid, flavor=flavor(**flavor_kwargs),
        project_id='project', user_id='user', num_instances=num_instances,
        availability_zone=availability_zone, instance_group=group,
        scheduler_hints={k: (v if isinstance(v, list) else [v])
                         for k, v in (hints or {}).items()},
        ignore_hosts=None, force_hosts=None, force_nodes=None,
        requested_destination=None, is_bfv=is_bfv)
    spec.image = objects.ImageMeta.from_dict({'properties': image_props or {}})
    return spec


def group(policy, members=(), hosts=(), rules=None):
    return objects.InstanceGroup(uuid='99999999-0000-0000-0000-000000000000', policy=policy,
                                 members=list(members), hosts=list(hosts),
                                 rules=dict(rules or {}))


def long_ago():
    return timeutils.utcnow() - datetime.timedelta(hours=1)
