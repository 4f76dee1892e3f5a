"""The vCenter cluster one nova-compute manages, seen as one compute node.

Finds ``[vmware] cluster_name`` and its datacenter, resource pool, VM folder
and the datastores matching ``[vmware] datastore_regex``, and sums what its
hosts offer into the node's resources.
"""

import json
import re
import uuid

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.virt.vmwareapi import session as vmsession

try:
    from pyVmomi import vim
except ImportError:
    vim = None

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

HYPERVISOR_TYPE = 'VMware vCenter Server'
# Datastore types a guest's disks may live on (upstream's list).
USABLE_DATASTORE_TYPES = ('VMFS', 'NFS', 'NFS41', 'vsan', 'VVOL', 'OTHER')
# Stable node UUIDs: one namespace, the node name inside it.
NODE_NAMESPACE = uuid.UUID('9c4f8a46-5a8e-4c8e-8d1b-6e0d5b7a3f21')
MiB = 1024 * 1024
GiB = 1024 * MiB


class Datastore(object):
    def __init__(self, ref, name, capacity, free, ds_type, url):
        self.ref = ref
        self.name = name
        self.capacity = capacity
        self.free = free
        self.type = ds_type
        self.url = url

    def path(self, *parts):
        """The datastore path ``[name] a/b`` of ``parts``."""
        rel = '/'.join(p.strip('/') for p in parts if p)
        return '[%s] %s' % (self.name, rel) if rel else '[%s]' % self.name

    def __repr__(self):
        return '<Datastore %s free=%d>' % (self.name, self.free)


def split_path(ds_path):
    """('datastore', 'rel/path') of '[datastore] rel/path'."""
    match = re.match(r'^\[([^\]]+)\]\s*(.*)$', ds_path or '')
    if not match:
        raise ValueError('not a datastore path: %r' % ds_path)
    return match.group(1), match.group(2)


class Cluster(object):
    """The cluster's references, found once per connection and kept."""

    def __init__(self, session, name=None):
        self.session = session
        self.name = name or CONF.vmware.cluster_name
        self.ref = None
        self.datacenter = None
        self.datacenter_name = None
        self.resource_pool = None
        self.vm_folder = None
        self.vcenter_uuid = None

    def discover(self):
        """Find the cluster (InvalidConfiguration when vCenter has none of that name)."""
        content = self.session.content
        self.vcenter_uuid = content.about.instanceUuid
        view = self.session.invoke(content.viewManager, 'CreateContainerView',
                                   content.rootFolder, [vim.ClusterComputeResource], True)
        try:
            refs = self.session.props(view, ['view']).get('view', [])
        finally:
            self.session.invoke(view, 'DestroyView')
        names = self.session.props_of(list(refs), ['name', 'resourcePool', 'parent'])
        for ref in refs:
            props = names.get(ref._moId, {})
            if props.get('name') == self.name:
                self.ref = ref
                self.resource_pool = props['resourcePool']
                self.datacenter = self._datacenter_of(props['parent'])
                break
        else:
            raise exception.InvalidConfiguration(
                reason='vCenter %s has no cluster named %r ([vmware] cluster_name); it has %s'
                % (self.session.host, self.name,
                   ', '.join(sorted(p.get('name', '?') for p in names.values())) or 'none'))
        dc = self.session.props(self.datacenter, ['name', 'vmFolder'])
        self.datacenter_name = dc['name']
        self.vm_folder = dc['vmFolder']
        LOG.info('Managing vCenter cluster %s (%s) in datacenter %s as node %s',
                 self.name, self.ref._moId, self.datacenter_name, self.nodename)
        return self

    def _datacenter_of(self, ref):
        while ref is not None and not isinstance(ref, vim.Datacenter):
            ref = self.session.props(ref, ['parent']).get('parent')
        if ref is None:
            raise exception.InvalidConfiguration(
                reason='cluster %s is not inside a datacenter' % self.name)
        return ref

    @property
    def nodename(self):
        """``<cluster moref>.<vCenter instance UUID>``: unique across vCenters."""
        return '%s.%s' % (self.ref._moId, self.vcenter_uuid)

    @property
    def node_uuid(self):
        return str(uuid.uuid5(NODE_NAMESPACE, self.nodename))

    # --- datastores ----------------------------------------------------------------
    def datastores(self):
        """Accessible datastores of the cluster that match ``datastore_regex``."""
        refs = self.session.props(self.ref, ['datastore']).get('datastore', [])
        pattern = re.compile(CONF.vmware.datastore_regex) if CONF.vmware.datastore_regex \
            else None
        found = []
        props = self.session.props_of(list(refs), ['summary'])
        for ref in refs:
            summary = props.get(ref._moId, {}).get('summary')
            if summary is None or not summary.accessible:
                continue
            if summary.type not in USABLE_DATASTORE_TYPES:
                continue
            if getattr(summary, 'maintenanceMode', 'normal') not in (None, 'normal'):
                continue
            if pattern is not None and not pattern.match(summary.name):
                continue
            found.append(Datastore(ref, summary.name, summary.capacity, summary.freeSpace,
                                   summary.type, summary.url))
        return found

    def pick_datastore(self, needed_bytes=0):
        """The matching datastore with the most free space (it must fit ``needed_bytes``)."""
        stores = self.datastores()
        if not stores:
            raise exception.DatastoreNotFound(
                reason='no accessible datastore of cluster %s matches datastore_regex %r'
                % (self.name, CONF.vmware.datastore_regex))
        best = max(stores, key=lambda d: d.free)
        if needed_bytes and best.free < needed_bytes:
            raise exception.DatastoreNotFound(
                reason='datastore %s has %d MiB free, %d MiB needed'
                % (best.name, best.free // MiB, needed_bytes // MiB))
        return best

    # --- resources -------------------------------------------------------------------
    def _usable_hosts(self):
        refs = self.session.props(self.ref, ['host']).get('host', [])
        props = self.session.props_of(list(refs), ['summary.hardware', 'summary.runtime'])
        hosts = []
        for ref in refs:
            p = props.get(ref._moId, {})
            runtime = p.get('summary.runtime')
            if runtime is None or runtime.connectionState != 'connected' or \
                    runtime.inMaintenanceMode:
                continue
            hosts.append(p)
        return hosts

    def resources(self):
        """Totals of the usable hosts and matching datastores, in nova's units."""
        hosts = self._usable_hosts()
        stores = self.datastores()
        threads = [h['summary.hardware'].numCpuThreads for h in hosts]
        memory = [h['summary.hardware'].memorySize // MiB for h in hosts]
        hardware = hosts[0]['summary.hardware'] if hosts else None
        return {
            'vcpus': sum(threads),
            'max_vcpus_per_host': max(threads or [0]),
            'memory_mb': sum(memory),
            'max_memory_mb_per_host': max(memory or [0]),
            'local_gb': sum(d.capacity for d in stores) // GiB,
            'local_gb_free': sum(d.free for d in stores) // GiB,
            'max_free_gb_per_datastore': max([d.free // GiB for d in stores] or [0]),
            'cpu_info': json.dumps({
                'vendor': [getattr(hardware, 'vendor', None)] if hardware else [],
                'model': [getattr(hardware, 'cpuModel', None)] if hardware else [],
                'topology': {'cores': sum(h['summary.hardware'].numCpuCores for h in hosts),
                             'threads': sum(threads)},
            }),
        }


def version_int(version):
    """'6.5.0' -> 6005000 (nova's hypervisor_version)."""
    parts = [int(p) for p in re.findall(r'\d+', version or '')[:3]]
    parts += [0] * (3 - len(parts))
    return parts[0] * 1000000 + parts[1] * 1000 + parts[2]


def is_not_found(exc):
    """Did vCenter say the object is gone?"""
    return isinstance(exc, vmsession.VimFaultError) and \
        exc.fault_name in ('ManagedObjectNotFound', 'NotFound')
