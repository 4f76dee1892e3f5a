"""Tenant usage (``/os-simple-tenant-usage``) as the API shows it."""

from oslo_utils import timeutils


def naive(value):
    return timeutils.normalize_time(value) if value is not None else None


def hours_in(instance, start, stop):
    """Hours of [start, stop] the instance ran (launched, not yet terminated)."""
    launched, terminated = naive(instance.launched_at), naive(instance.terminated_at)
    if launched is None or launched > stop or (terminated is not None and terminated < start):
        return 0.0
    begin = max(launched, start)
    end = min(terminated, stop) if terminated is not None else stop
    return max(0.0, (end - begin).total_seconds() / 3600.0)


def tenant_usages(instances, flavors, start, stop, detailed):
    """Usage per project of ``instances`` over [start, stop]; ``flavors``: each
    instance's flavor by uuid; ``detailed``: with one entry per server."""
    now = timeutils.utcnow().replace(tzinfo=None)
    usages = {}
    for inst in instances:
        flavor = flavors[inst.uuid]
        hours = hours_in(inst, start, stop)
        local_gb = (flavor.root_gb or 0) + (flavor.ephemeral_gb or 0)
        usage = usages.setdefault(inst.project_id, {
            'tenant_id': inst.project_id, 'start': start, 'stop': stop,
            'total_hours': 0.0, 'total_local_gb_usage': 0.0,
            'total_memory_mb_usage': 0.0, 'total_vcpus_usage': 0.0,
            'server_usages': []})
        usage['total_hours'] += hours
        usage['total_local_gb_usage'] += local_gb * hours
        usage['total_memory_mb_usage'] += flavor.memory_mb * hours
        usage['total_vcpus_usage'] += flavor.vcpus * hours
        if not detailed:
            continue
        started, ended = naive(inst.launched_at), naive(inst.terminated_at)
        terminated = bool(inst.deleted) or inst.vm_state == 'deleted'
        usage['server_usages'].append({
            'instance_id': inst.uuid, 'name': inst.display_name,
            'hours': hours, 'memory_mb': flavor.memory_mb, 'local_gb': local_gb,
            'vcpus': flavor.vcpus, 'tenant_id': inst.project_id,
            'flavor': flavor.name, 'started_at': started, 'ended_at': ended,
            'state': 'terminated' if terminated else inst.vm_state,
            'uptime': int(((ended or now) - started).total_seconds()),
        })
    for usage in usages.values():
        if not detailed:
            del usage['server_usages']
    return list(usages.values())
