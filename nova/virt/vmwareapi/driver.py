"""``compute_driver = vmwareapi.VMwareVCDriver``: a vCenter cluster as one compute node.

nova-compute logs in to vCenter (``[vmware] host_ip``, ``host_port``,
``host_username``, ``host_password``, ``ca_file``/``insecure``) through
pyVmomi and manages the cluster ``[vmware] cluster_name``: its hosts' CPUs
and memory and its datastores matching ``datastore_regex`` are the node's
resources; guests are VMs in the cluster's resource pool.

When vCenter cannot be reached (at start-up or later) nova-compute keeps
running: calls retry ``api_retry_count`` times, the compute service is
disabled with a reason naming the error (so the scheduler sends nothing
here), and it is enabled again by the first call that works, which the
periodic resource update makes at the latest.

Operation families live in mixins: power.py, snapshot.py, consoles.py; VM
spawn/destroy in vmops.py, the connection in session.py.
"""

from oslo_log import log as logging

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.virt import driver
from nova.virt.vmwareapi import cluster as vmcluster
from nova.virt.vmwareapi import consoles
from nova.virt.vmwareapi import ds_util
from nova.virt.vmwareapi import images
from nova.virt.vmwareapi import power
from nova.virt.vmwareapi import session as vmsession
from nova.virt.vmwareapi import snapshot
from nova.virt.vmwareapi import vmops

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# disabled_reason of a compute service this driver disabled itself.
AUTO_DISABLED_PREFIX = 'AUTO: '
SUPPORTED_INSTANCES = [('i686', 'vmware', 'hvm'), ('x86_64', 'vmware', 'hvm')]


class VMwareVCDriver(power.PowerMixin, consoles.ConsoleMixin, snapshot.SnapshotMixin,
                     driver.ComputeDriver):
    capabilities = dict(driver.ComputeDriver.capabilities)

    def __init__(self, virtapi, read_only=False, session=None):
        super().__init__(virtapi)
        missing = [name for name in ('host_ip', 'host_username', 'host_password',
                                     'cluster_name')
                   if not getattr(CONF.vmware, name)]
        if missing:
            raise exception.InvalidConfiguration(
                reason='vmwareapi.VMwareVCDriver needs [vmware] %s' % ', '.join(missing))
        self.session = session or vmsession.Session(on_state_change=self._connection_changed)
        self.session._on_state_change = self._connection_changed
        self.cluster = vmcluster.Cluster(self.session)
        self._files = None
        self._vmops = None
        self._host = None
        self._nodename = None
        self._node_uuid = None
        self._pending_state = None  # (connected, reason) not yet applied to the service

    # --- connection -------------------------------------------------------------------
    def _ensure_connected(self):
        """Log in and find the cluster if not done on this connection."""
        self.session.check()
        if self.cluster.ref is None:
            self.cluster.discover()
            self._nodename = self.cluster.nodename
            self._node_uuid = self.cluster.node_uuid
            self._files = ds_util.DatastoreFiles(self.session, self.cluster.datacenter,
                                                 self.cluster.datacenter_name)
            self._vmops = vmops.VMOps(self.session, self.cluster, self._files,
                                      images.ImageCache(self._files))
        self._apply_service_state()

    def _connection_changed(self, connected, reason):
        if connected:
            LOG.info('vCenter %s:%s is reachable', self.session.host, self.session.port)
        else:
            LOG.error('%s; nova-compute keeps running and retries', reason)
        self._pending_state = (connected, reason)

    def _apply_service_state(self):
        """Disable (or re-enable) the compute service after a connection change."""
        pending, self._pending_state = self._pending_state, None
        if pending is None or self._host is None:
            return
        connected, reason = pending
        try:
            ctxt = nova_context.get_admin_context()
            service = objects.Service.get_by_compute_host(ctxt, self._host)
        except Exception as exc:  # no record yet (first start) or conductor away
            LOG.debug('Compute service state not updated: %s', exc)
            if not connected:
                self._pending_state = pending
            return
        if connected:
            if service.disabled and (service.disabled_reason or '').startswith(
                    AUTO_DISABLED_PREFIX):
                service.disabled = False
                service.disabled_reason = None
                service.save()
                LOG.info('Compute service of %s enabled again', self._host)
        elif not service.disabled:
            service.disabled = True
            service.disabled_reason = AUTO_DISABLED_PREFIX + reason[:200]
            service.save()
            LOG.warning('Compute service of %s disabled: %s', self._host, reason)

    def _connected(self):
        """``_ensure_connected`` that says False instead of raising on a broken link."""
        try:
            self._ensure_connected()
            return True
        except vmsession.VimConnectionError:
            self._apply_service_state()
            return False

    def _require_connection(self):
        try:
            self._ensure_connected()
        except vmsession.VimConnectionError as exc:
            self._apply_service_state()
            raise exception.HypervisorUnavailable(host=str(exc)) from exc

    @property
    def vmops(self):
        """The VM operations, once vCenter answers (HypervisorUnavailable until then)."""
        self._require_connection()
        return self._vmops

    @property
    def files(self):
        self._require_connection()
        return self._files

    # --- host --------------------------------------------------------------------------
    def init_host(self, host):
        self._host = host
        if not self._connected():
            LOG.error('vCenter %s:%s is unreachable at start-up; the node is reported '
                      'once it answers', self.session.host, self.session.port)

    def cleanup_host(self, host):
        self.session.logout()

    def get_available_nodes(self, refresh=False):
        if refresh or self._nodename is None:
            self._connected()
        return [self._nodename] if self._nodename else []

    def get_nodenames_by_uuid(self, refresh=False):
        self.get_available_nodes(refresh)
        return {self._node_uuid: self._nodename} if self._nodename else {}

    def get_available_resource(self, nodename):
        self._require_connection()
        try:
            resources = self.cluster.resources()
            about = self.session.content.about
        except vmsession.VimConnectionError as exc:
            self._apply_service_state()
            raise exception.HypervisorUnavailable(host=str(exc)) from exc
        return {
            'uuid': self._node_uuid,
            'vcpus': resources['vcpus'],
            'memory_mb': resources['memory_mb'],
            'local_gb': resources['local_gb'],
            'vcpus_used': 0,
            'memory_mb_used': 0,
            'local_gb_used': resources['local_gb'] - resources['local_gb_free'],
            'hypervisor_type': vmcluster.HYPERVISOR_TYPE,
            'hypervisor_version': vmcluster.version_int(about.version),
            'hypervisor_hostname': self._nodename,
            'cpu_info': resources['cpu_info'],
            'disk_available_least': resources['local_gb_free'],
            'numa_topology': None,
            'supported_instances': [list(s) for s in SUPPORTED_INSTANCES],
            'host_ip': CONF.vmware.host_ip,
            'max_vcpus_per_host': resources['max_vcpus_per_host'],
            'max_memory_mb_per_host': resources['max_memory_mb_per_host'],
            'max_free_gb_per_datastore': resources['max_free_gb_per_datastore'],
        }

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        resources = self.get_available_resource(nodename)
        node = provider_tree.data(nodename)
        inventory = driver.standard_inventory(
            resources, compute_node=getattr(node, 'compute_node', None))
        # One VM runs on one host and its disk on one datastore: the largest
        # single piece is the most a single instance can ask for.
        for rc, key in (('VCPU', 'max_vcpus_per_host'),
                        ('MEMORY_MB', 'max_memory_mb_per_host'),
                        ('DISK_GB', 'max_free_gb_per_datastore')):
            if rc in inventory and resources[key]:
                inventory[rc]['max_unit'] = min(inventory[rc]['total'], resources[key])
        provider_tree.update_inventory(nodename, inventory)

    def get_host_uptime(self):
        raise NotImplementedError()

    def set_host_enabled(self, enabled):
        raise NotImplementedError()

    def host_maintenance_mode(self, host, mode):
        raise NotImplementedError()

    def host_power_action(self, action):
        raise NotImplementedError()

    # --- instances ---------------------------------------------------------------------
    def list_instance_uuids(self):
        return self.vmops.list_instance_uuids()

    def list_instances(self):
        return self.list_instance_uuids()  # VMs are named after their instance

    def instance_exists(self, instance):
        return self.vmops.find_vm(instance) is not None

    def get_info(self, instance, use_cache=True):
        return self.vmops.get_info(instance)

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None, power_on=True,
              accel_info=None):
        try:
            self._ensure_connected()
        except vmsession.VimConnectionError as exc:
            self._apply_service_state()
            raise exception.InstanceDeployFailure(reason=str(exc)) from exc
        vnc_port = self.allocate_vnc_port()
        self._vmops.spawn(context, instance, image_meta, injected_files, admin_password,
                          network_info or [], vnc_port=vnc_port)
        if not power_on:
            self.power_off(instance)
        LOG.info('Instance %s spawned in cluster %s', instance.uuid, self.cluster.name)

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        try:
            self.vmops.destroy(instance, destroy_disks)
        except vmsession.VimConnectionError as exc:
            raise exception.HypervisorUnavailable(host=str(exc)) from exc
        except (vmsession.VimTaskError, vmsession.VimFaultError) as exc:
            raise exception.NovaException('Destroying the VM of %s failed: %s' % (
                instance.uuid, vmops.vim_reason(exc))) from exc
