"""What the VMware driver does to one instance's VM: spawn, destroy, look-ups.

A VM is named after its instance's UUID, carries that UUID as its
``instanceUuid`` (how it is found again), and lives in the datastore folder
``[ds] <uuid>/`` that vCenter creates for it. Power operations live in
power.py, snapshots in snapshot.py.
"""

import math
import os
import tempfile

from oslo_log import log as logging

import nova.conf
from nova.compute import power_state
from nova import exception
from nova.virt import configdrive
from nova.virt import hardware
from nova.virt.vmwareapi import cluster as vmcluster
from nova.virt.vmwareapi import images
from nova.virt.vmwareapi import session as vmsession
from nova.virt.vmwareapi import vmspec

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

POWER_STATES = {'poweredOn': power_state.RUNNING, 'poweredOff': power_state.SHUTDOWN,
                'suspended': power_state.SUSPENDED}
CONFIG_DRIVE = 'configdrive.iso'
GiB = 1024 * 1024 * 1024
KiB = 1024


def vim_reason(exc):
    """The words of a vCenter failure for an instance fault."""
    if isinstance(exc, (vmsession.VimTaskError, vmsession.VimFaultError)):
        return 'vCenter %s: %s' % (exc.fault_name, exc.message)
    return str(exc)


class VMOps(object):
    """VM look-ups and the spawn/destroy pair, over one cluster."""

    def __init__(self, session, cluster, files, image_cache):
        self.session = session
        self.cluster = cluster
        self.files = files
        self.image_cache = image_cache

    # --- finding VMs ---------------------------------------------------------------
    def find_vm(self, instance):
        """The VM of ``instance`` (by instance UUID), or None."""
        index = self.session.service('searchIndex')
        return self.session.invoke(index, 'FindByUuid', datacenter=self.cluster.datacenter,
                                   uuid=instance.uuid, vmSearch=True, instanceUuid=True)

    def get_vm(self, instance):
        vm = self.find_vm(instance)
        if vm is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return vm

    def vm_props(self, instance, paths):
        vm = self.get_vm(instance)
        try:
            return vm, self.session.props(vm, paths)
        except vmsession.VimFaultError as exc:
            if vmcluster.is_not_found(exc):
                raise exception.InstanceNotFound(instance_id=instance.uuid) from exc
            raise

    def power_state(self, instance):
        _vm, props = self.vm_props(instance, ['runtime.powerState'])
        return props.get('runtime.powerState')

    def get_info(self, instance):
        state = self.power_state(instance)
        return hardware.InstanceInfo(state=POWER_STATES.get(state, power_state.NOSTATE))

    def cluster_vms(self):
        """{moId: props} of every VM in the cluster's resource pools."""
        pools, vms = [self.cluster.resource_pool], []
        while pools:
            props = self.session.props_of(pools, ['vm', 'resourcePool'])
            pools = []
            for pool in props.values():
                vms += list(pool.get('vm') or [])
                pools += list(pool.get('resourcePool') or [])
        return vms, self.session.props_of(vms, ['name', 'config.instanceUuid',
                                                'config.extraConfig'])

    def list_instance_uuids(self):
        """UUIDs of the cluster's VMs that nova created (they carry nvp.vm-uuid)."""
        _vms, props = self.cluster_vms()
        uuids = []
        for p in props.values():
            extra = {o.key: o.value for o in p.get('config.extraConfig') or []}
            if vmspec.INSTANCE_UUID_KEY in extra:
                uuids.append(p.get('config.instanceUuid') or extra[vmspec.INSTANCE_UUID_KEY])
        return uuids

    # --- spawn -------------------------------------------------------------------------
    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              network_info, vnc_port=None):
        image = images.VMwareImage.from_image_meta(image_meta)
        root_bytes = instance.flavor.root_gb * GiB
        if root_bytes and image.size_bytes > root_bytes:
            raise exception.FlavorDiskSmallerThanImage(flavor_size=root_bytes,
                                                       image_size=image.size_bytes)
        size_bytes = max(root_bytes, image.size_bytes)
        datastore = self.cluster.pick_datastore(0 if image.linked_clone else size_bytes)
        try:
            cached = self.image_cache.ensure(context, datastore, image)
            spec = vmspec.create_spec(instance, image, datastore, vnc_port)
            task = self.session.invoke(self.cluster.vm_folder, 'CreateVM_Task', config=spec,
                                       pool=self.cluster.resource_pool)
            vm = self.session.wait_for_task(task, 'CreateVM_Task')
            LOG.info('Created VM %s for instance %s on datastore %s', vm._moId,
                     instance.uuid, datastore.name)
            self._attach_root_disk(vm, instance, image, datastore, cached, size_bytes)
            if configdrive.required_by(instance):
                self._attach_config_drive(vm, context, instance, image, datastore,
                                          injected_files, admin_password, network_info)
            self.session.run_task(vm, 'PowerOnVM_Task')
        except vmsession.VimConnectionError as exc:
            raise exception.InstanceDeployFailure(reason=str(exc)) from exc
        except (vmsession.VimTaskError, vmsession.VimFaultError) as exc:
            raise exception.InstanceDeployFailure(reason=vim_reason(exc)) from exc
        except vmsession.VimError as exc:
            raise exception.InstanceDeployFailure(reason=str(exc)) from exc

    def _attach_root_disk(self, vm, instance, image, datastore, cached, size_bytes):
        devices = self.session.props(vm, ['config.hardware.device'])[
            'config.hardware.device']
        disk_path = datastore.path(instance.uuid, '%s.vmdk' % instance.uuid)
        size_kb = int(math.ceil(size_bytes / KiB))
        if image.linked_clone:
            parent = self.image_cache.ensure_sized(datastore, image, size_bytes)
            change = vmspec.root_disk_change(devices, image, disk_path, size_kb, parent)
        else:
            self.files.copy_disk(cached, disk_path)
            if size_bytes > image.size_bytes:
                self.files.extend_disk(disk_path, size_kb)
            change = vmspec.root_disk_change(devices, image, disk_path, size_kb)
        self.session.run_task(vm, 'ReconfigVM_Task',
                              spec=vmspec.vim.vm.ConfigSpec(deviceChange=[change]))

    def _attach_config_drive(self, vm, context, instance, image, datastore, injected_files,
                             admin_password, network_info):
        with tempfile.TemporaryDirectory(prefix='vmware-configdrive-') as tmp:
            local = os.path.join(tmp, CONFIG_DRIVE)
            configdrive.make_config_drive(instance, local, injected_files=injected_files,
                                          admin_password=admin_password,
                                          network_info=network_info,
                                          request_context=context)
            rel = '%s/%s' % (instance.uuid, CONFIG_DRIVE)
            with open(local, 'rb') as data:
                self.files.upload(datastore.name, rel, data, os.path.getsize(local))
        devices = self.session.props(vm, ['config.hardware.device'])[
            'config.hardware.device']
        change = vmspec.cdrom_change(devices, image, datastore.path(rel))
        self.session.run_task(vm, 'ReconfigVM_Task',
                              spec=vmspec.vim.vm.ConfigSpec(deviceChange=[change]))

    # --- destroy --------------------------------------------------------------------------
    def destroy(self, instance, destroy_disks=True):
        """Power off, unregister and (with ``destroy_disks``) delete the VM's folder."""
        vm = self.find_vm(instance)
        if vm is None:
            LOG.info('Instance %s has no VM in vCenter; nothing to destroy', instance.uuid)
            return
        try:
            props = self.session.props(vm, ['runtime.powerState', 'config.files.vmPathName'])
        except vmsession.VimFaultError as exc:
            if vmcluster.is_not_found(exc):
                return
            raise
        if props.get('runtime.powerState') != 'poweredOff':
            self.session.run_task(vm, 'PowerOffVM_Task')
        folder = os.path.dirname(props.get('config.files.vmPathName') or '')
        self.session.invoke(vm, 'UnregisterVM')
        LOG.info('Unregistered VM %s of instance %s', vm._moId, instance.uuid)
        if destroy_disks and folder:
            ds_name, rel = vmcluster.split_path(folder)
            if rel:
                self.files.delete(folder)
                LOG.info('Deleted %s', folder)
