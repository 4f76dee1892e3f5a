"""Hypervisors (compute nodes) as ``/os-hypervisors`` shows them, per microversion."""

from oslo_serialization import jsonutils

# What a detailed view shows before 2.88 (which keeps only type, version and IP).
_DETAIL_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
                  'local_gb_used', 'hypervisor_type', 'hypervisor_version', 'free_ram_mb',
                  'free_disk_gb', 'current_workload', 'running_vms',
                  'disk_available_least')


def public_id(req, record):
    """A node's or service's id as the request's microversion shows it (and takes it
    back in a URL or a marker): its uuid from 2.53, its database id before."""
    return record.uuid if req.api_version_request >= '2.53' else record.id


def _cpu_info(req, cpu_info):
    """The driver's JSON text before 2.28, an object from 2.28 ({} if unreadable)."""
    if req.api_version_request < '2.28':
        return cpu_info
    try:
        return jsonutils.loads(cpu_info) if cpu_info else {}
    except ValueError:
        return {}


def hypervisor(req, node, service, alive, detail=False, servers=None):
    """One compute node; ``alive``: whether its service reports, ``servers``: the
    [{name, uuid}] on it when asked for (None: not asked)."""
    version = req.api_version_request
    body = {
        'id': public_id(req, node),
        'hypervisor_hostname': node.hypervisor_hostname,
        'state': 'up' if alive else 'down',
        'status': 'disabled' if service.disabled else 'enabled',
    }
    if detail:
        if version < '2.88':
            for field in _DETAIL_FIELDS:
                body[field] = getattr(node, field, None)
            body['cpu_info'] = _cpu_info(req, node.cpu_info)
        else:
            body['hypervisor_type'] = node.hypervisor_type
            body['hypervisor_version'] = node.hypervisor_version
            body['uptime'] = None
        body['host_ip'] = str(node.host_ip) if node.host_ip else None
        body['service'] = {
            'id': public_id(req, service),
            'host': service.host,
            'disabled_reason': service.disabled_reason,
        }
    # No servers on it: the key is left out before 2.75, an empty list from 2.75.
    if servers is not None and (servers or version >= '2.75'):
        body['servers'] = servers
    return body
