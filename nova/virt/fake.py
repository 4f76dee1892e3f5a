"""A driver that pretends: instances live in memory, resources are fixed.

Used for scale tests and development. One node per host, named after the
host, with a UUID that survives restarts (see nova.virt.node); or, after
``set_nodes``, as upstream's fake driver allows, many nodes per nova-compute
(a simulated fleet: each node its own compute node record and resource
provider), their UUIDs derived from the host and node names.
"""

import threading
import time
import uuid as uuidlib

from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova.compute import power_state
from nova.compute import task_states
from nova.console import type as ctype
from nova import exception
from nova.virt import driver
from nova.virt import event as virtevent
from nova.virt import fake_live_migration
from nova.virt import hardware
from nova.virt import node as virt_node

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

POWER_RUNNING = power_state.RUNNING
POWER_SHUTDOWN = power_state.SHUTDOWN

# What a snapshot uploads: enough bytes for Glance to checksum and activate.
SNAPSHOT_PAYLOAD = b'fake-snapshot-of-a-guest-disk\n' * 32


# Node names every FakeDriver of this process reports, or None: one node, the host.
_FAKE_NODES = None
_NODE_NAMESPACE = uuidlib.UUID('6d8f3a52-7c1e-4f0b-9a63-2b5e8c4d1f70')


def set_nodes(nodes):
    """Make every FakeDriver of this process report these node names."""
    global _FAKE_NODES
    _FAKE_NODES = list(nodes)


def restore_nodes():
    """Back to one node per host."""
    global _FAKE_NODES
    _FAKE_NODES = None


class FakeInstance(object):
    def __init__(self, uuid, name, state):
        self.uuid = uuid
        self.name = name
        self.state = state
        self.console = []
        self.crash_dumps = 0
        self.reboots = []
        self.created = time.monotonic()
        self.network_info = None  # what inject_network_info last handed over
        self.vifs = []  # the NICs the guest has (spawned with, hot-plugged)
        self.volumes = {}  # mountpoint -> connection info
        self.image_id = None
        self.rebuilds = 0
        # A tag standing for the ephemeral disk's content: a rebuild that keeps
        # the disk keeps the tag, any other spawn makes a new one.
        self.ephemeral = uuidlib.uuid4().hex
        self.rescue_image = None

    def log(self, line):
        self.console.append('[%s] %s' % (timeutils.utcnow().isoformat(), line))


class FakeDriver(fake_live_migration.FakeLiveMigrationMixin, driver.SingleNodeDriver):
    """Fixed, large resources so schedulers never run out in scale tests."""

    capabilities = dict(driver.ComputeDriver.capabilities, supports_attach_interface=True,
                        supports_multiattach=True)

    vcpus = 1000
    memory_mb = 800000
    local_gb = 600000

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi)
        self.instances = {}
        self._lock = threading.Lock()

    def init_host(self, host):
        self._nodename = host
        self._node_uuid = virt_node.get_local_node_uuid()
        LOG.info('Fake driver managing node %s (%s)', self._nodename, self._node_uuid)

    @property
    def nodename(self):
        return self._nodename or CONF.host

    def get_available_nodes(self, refresh=False):
        if _FAKE_NODES:
            return list(_FAKE_NODES)
        return super().get_available_nodes(refresh)

    def get_nodenames_by_uuid(self, refresh=False):
        if _FAKE_NODES:
            return {self._fleet_node_uuid(n): n for n in _FAKE_NODES}
        return super().get_nodenames_by_uuid(refresh)

    def _fleet_node_uuid(self, nodename):
        return str(uuidlib.uuid5(_NODE_NAMESPACE, '%s/%s' % (CONF.host, nodename)))

    def get_available_resource(self, nodename):
        resources = {
            'uuid': self._fleet_node_uuid(nodename) if _FAKE_NODES else self.node_uuid,
            'vcpus': self.vcpus,
            'memory_mb': self.memory_mb,
            'local_gb': self.local_gb,
            'hypervisor_type': 'fake',
            'hypervisor_version': 1000,
            'hypervisor_hostname': nodename,
            'cpu_info': '?',
            'disk_available_least': 0,
            'numa_topology': None,
            'supported_instances': [['x86_64', 'fake', 'hvm'], ['i686', 'fake', 'hvm']],
            'host_ip': CONF.my_ip,
        }
        # Usage is the resource tracker's business (it counts instances).
        resources.update({'vcpus_used': 0, 'memory_mb_used': 0, 'local_gb_used': 0})
        return resources

    def get_host_uptime(self):
        return ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14'

    def set_host_enabled(self, enabled):
        return 'enabled' if enabled else 'disabled'

    def host_maintenance_mode(self, host, mode):
        return 'on_maintenance' if mode else 'off_maintenance'

    def host_power_action(self, action):
        return action

    def list_instances(self):
        with self._lock:
            return [i.name for i in self.instances.values()]

    def list_instance_uuids(self):
        with self._lock:
            return list(self.instances)

    def get_info(self, instance, use_cache=True):
        with self._lock:
            fake = self.instances.get(instance.uuid)
        if fake is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return hardware.InstanceInfo(state=fake.state)

    def spawn(self, context, instance, image_meta, injected_files, admin_password,
              allocations, network_info=None, block_device_info=None, power_on=True,
              accel_info=None):
        fake = FakeInstance(instance.uuid, instance.name,
                            POWER_RUNNING if power_on else POWER_SHUTDOWN)
        fake.image_id = image_meta.id if image_meta is not None and 'id' in image_meta \
            else None
        fake.vifs = list(network_info or [])
        fake.log('fake guest %s booted' % instance.uuid)
        for mapping in (block_device_info or {}).get('block_device_mapping') or []:
            fake.volumes[mapping['mount_device']] = mapping['connection_info']
        with self._lock:
            self.instances[instance.uuid] = fake

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        with self._lock:
            self.instances.pop(instance.uuid, None)

    # --- power and lifecycle ------------------------------------------------------

    def _guest(self, instance):
        with self._lock:
            fake = self.instances.get(instance.uuid)
        if fake is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return fake

    def _transition(self, instance, state, transition, line):
        fake = self._guest(instance)
        fake.state = state
        fake.log(line)
        self.emit_event(virtevent.LifecycleEvent(instance.uuid, transition))
        return fake

    def _guest_or_new(self, instance):
        """A guest this process lost (nova-compute restarted) is defined again, as a
        real hypervisor still has the stopped guest's definition."""
        with self._lock:
            fake = self.instances.get(instance.uuid)
            if fake is None:
                fake = self.instances[instance.uuid] = FakeInstance(
                    instance.uuid, instance.name, POWER_SHUTDOWN)
        return fake

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None,
               bad_volumes_callback=None, accel_info=None, share_info=None):
        fake = self._guest(instance) if reboot_type == 'SOFT' else self._guest_or_new(instance)
        fake.reboots.append(reboot_type)
        fake.state = POWER_RUNNING
        fake.log('fake guest rebooted (%s)' % reboot_type)

    def power_off(self, instance, timeout=0, retry_interval=0):
        self._transition(instance, POWER_SHUTDOWN, virtevent.EVENT_LIFECYCLE_STOPPED,
                         'fake guest powered off')

    def power_on(self, context, instance, network_info, block_device_info=None,
                 accel_info=None, share_info=None):
        self._guest_or_new(instance)
        self._transition(instance, POWER_RUNNING, virtevent.EVENT_LIFECYCLE_STARTED,
                         'fake guest powered on')

    def pause(self, instance):
        self._transition(instance, power_state.PAUSED, virtevent.EVENT_LIFECYCLE_PAUSED,
                         'fake guest paused')

    def unpause(self, instance):
        self._transition(instance, POWER_RUNNING, virtevent.EVENT_LIFECYCLE_RESUMED,
                         'fake guest unpaused')

    def suspend(self, context, instance):
        self._transition(instance, power_state.SUSPENDED,
                         virtevent.EVENT_LIFECYCLE_SUSPENDED, 'fake guest suspended')

    def resume(self, context, instance, network_info, block_device_info=None):
        self._transition(instance, POWER_RUNNING, virtevent.EVENT_LIFECYCLE_RESUMED,
                         'fake guest resumed')

    def resume_state_on_host_boot(self, context, instance, network_info,
                                  block_device_info=None):
        """The host rebooted: a guest that should run is (re)started."""
        fake = self._guest_or_new(instance)
        fake.state = POWER_RUNNING
        fake.log('fake guest resumed after host boot')

    # --- cold migration and resize ----------------------------------------------------

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info,
                                   block_device_info=None, timeout=0, retry_interval=0):
        fake = self._guest_or_new(instance)
        # No lifecycle event: the move, not the power sync, owns the guest's state.
        fake.state = POWER_SHUTDOWN
        fake.log('fake guest powered off to move to %s' % dest)
        return '[]'

    def finish_migration(self, context, migration, instance, disk_info, network_info,
                         image_meta, resize_instance, allocations, block_device_info=None,
                         power_on=True):
        with self._lock:
            fake = self.instances.get(instance.uuid)
            if fake is None:
                fake = self.instances[instance.uuid] = FakeInstance(
                    instance.uuid, instance.name, POWER_SHUTDOWN)
        fake.state = POWER_RUNNING if power_on else POWER_SHUTDOWN
        fake.log('fake guest arrived from %s with flavor %s' % (
            migration.source_compute, instance.flavor.name))

    def confirm_migration(self, context, migration, instance, network_info):
        if migration.source_compute == migration.dest_compute:
            return  # same host: the guest here is the resized one
        with self._lock:
            self.instances.pop(instance.uuid, None)

    def finish_revert_migration(self, context, instance, network_info, migration,
                                block_device_info=None, power_on=True):
        fake = self._guest_or_new(instance)
        fake.state = POWER_RUNNING if power_on else POWER_SHUTDOWN
        fake.log('fake guest back after a reverted resize')

    def trigger_crash_dump(self, instance):
        fake = self._guest(instance)
        fake.crash_dumps += 1
        fake.log('fake guest received an NMI (crash dump %d)' % fake.crash_dumps)

    # --- interfaces: bookkeeping only -----------------------------------------------

    def attach_interface(self, context, instance, image_meta, vif):
        fake = self._guest(instance)
        if any(v.get('id') == vif['id'] for v in fake.vifs):
            raise exception.InterfaceAttachFailed(instance_uuid=instance.uuid)
        fake.vifs = fake.vifs + [vif]
        fake.log('fake guest got NIC %s (%s)' % (vif.get('address'), vif['id']))

    def detach_interface(self, context, instance, vif):
        with self._lock:
            fake = self.instances.get(instance.uuid)
        if fake is None:
            return
        vifs = fake.vifs
        fake.vifs = [v for v in vifs if v.get('id') != vif['id']]
        if len(fake.vifs) != len(vifs):
            fake.log('fake guest released NIC %s (%s)' % (vif.get('address'), vif['id']))

    # --- volumes: bookkeeping only --------------------------------------------------

    def attach_volume(self, context, connection_info, instance, mountpoint, disk_bus=None,
                      device_type=None, encryption=None):
        fake = self._guest(instance)
        if mountpoint in fake.volumes:
            raise exception.InvalidBDM(reason='device %s is already in use' % mountpoint)
        fake.volumes[mountpoint] = connection_info
        fake.log('fake guest got volume at %s' % mountpoint)

    def detach_volume(self, context, connection_info, instance, mountpoint, encryption=None):
        with self._lock:
            fake = self.instances.get(instance.uuid)
        if fake is not None and fake.volumes.pop(mountpoint, None) is not None:
            fake.log('fake guest released volume at %s' % mountpoint)

    def swap_volume(self, context, old_connection_info, new_connection_info, instance,
                    mountpoint, resize_to):
        fake = self._guest(instance)
        if mountpoint not in fake.volumes:
            raise exception.VolumeRebaseFailed(reason="no disk at %s" % mountpoint)
        fake.volumes[mountpoint] = new_connection_info
        fake.log('fake guest disk %s moved to volume %s' % (
            mountpoint, new_connection_info.get('serial')))

    def extend_volume(self, context, connection_info, instance, requested_size):
        fake = self._guest(instance)
        fake.log('fake guest saw volume grow to %d bytes' % requested_size)
        return requested_size

    def get_console_output(self, context, instance):
        fake = self._guest(instance)
        return '\n'.join(fake.console + ['FAKE CONSOLE OUTPUT of %s' % instance.uuid]) + '\n'

    # --- remote consoles: fixed endpoints (nothing listens there) ------------------
    # The proxy helpers may point these at a real server in their tests.
    vnc_console = ('fakevncconsole.com', 6969)
    spice_console = ('fakespiceconsole.com', 6969, 6970)
    serial_console = ('fakeserialconsole.com', 6969)

    def get_vnc_console(self, context, instance):
        self._guest(instance)
        host, port = self.vnc_console
        return ctype.ConsoleVNC(host=host, port=port, internal_access_path='FAKE')

    def get_spice_console(self, context, instance):
        self._guest(instance)
        host, port, tls_port = self.spice_console
        return ctype.ConsoleSpice(host=host, port=port, tlsPort=tls_port,
                                  internal_access_path='FAKE')

    def get_serial_console(self, context, instance):
        self._guest(instance)
        host, port = self.serial_console
        return ctype.ConsoleSerial(host=host, port=port, internal_access_path='FAKE')

    # --- diagnostics: fixed traffic figures around the guest's own state and size ----

    # The 2.48 body's ``driver`` is one of upstream's driver names (clients validate
    # it against that list); the fake driver says libvirt, as upstream's fake does.
    diagnostics_driver = 'libvirt'
    MAC = 'fa:16:3e:00:00:01'

    @staticmethod
    def _size(instance):
        """(vcpus, memory MiB) of the instance's flavor, or a small guest's if not loaded."""
        if instance.obj_attr_is_set('flavor') and instance.flavor is not None:
            return instance.flavor.vcpus, instance.flavor.memory_mb
        return 1, 512

    def get_diagnostics(self, instance):
        self._guest(instance)
        vcpus, memory_mb = self._size(instance)
        diags = {'cpu%d_time' % cpu: 17300000000 + cpu for cpu in range(vcpus)}
        diags.update({
            'memory': memory_mb * 1024,
            'vda_read': 262144, 'vda_read_req': 112, 'vda_write': 5778432,
            'vda_write_req': 488, 'vda_errors': -1,
            'vnet1_rx': 2070139, 'vnet1_rx_packets': 26701, 'vnet1_rx_errors': 0,
            'vnet1_rx_drop': 0, 'vnet1_tx': 140208, 'vnet1_tx_packets': 662,
            'vnet1_tx_errors': 0, 'vnet1_tx_drop': 0,
        })
        return diags

    def get_instance_diagnostics(self, instance):
        fake = self._guest(instance)
        vcpus, memory_mb = self._size(instance)
        return {
            'state': power_state.STATE_MAP.get(fake.state, 'pending'),
            'driver': self.diagnostics_driver,
            'hypervisor': 'fake',
            'hypervisor_os': 'linux',
            'uptime': int(time.monotonic() - fake.created),
            'config_drive': bool(instance.obj_attr_is_set('config_drive') and
                                 instance.config_drive),
            'num_cpus': vcpus,
            'num_disks': 1,
            'num_nics': 1,
            'memory_details': {'maximum': memory_mb, 'used': 0},
            'cpu_details': [{'id': cpu, 'time': 17300000000 + cpu, 'utilisation': 15}
                            for cpu in range(vcpus)],
            'disk_details': [{'read_bytes': 262144, 'read_requests': 112,
                              'write_bytes': 5778432, 'write_requests': 488,
                              'errors_count': 0}],
            'nic_details': [{'mac_address': self.MAC, 'rx_octets': 2070139,
                             'rx_errors': 0, 'rx_drop': 0, 'rx_packets': 26701,
                             'rx_rate': None, 'tx_octets': 140208, 'tx_errors': 0,
                             'tx_drop': 0, 'tx_packets': 662, 'tx_rate': None}],
        }

    def inject_network_info(self, instance, network_info):
        """Remember what was pushed, so tests can see the call arrived."""
        fake = self._guest(instance)
        fake.network_info = network_info
        fake.log('fake guest received network info (%d VIF(s))' % len(network_info or []))

    def snapshot(self, context, instance, image_id, update_task_state):
        """Upload a small payload as the image's data, so Glance makes it active."""
        self._guest(instance)
        from nova.image import glance
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        glance.API().update(context, image_id,
                            {'disk_format': 'raw', 'container_format': 'bare'},
                            data=SNAPSHOT_PAYLOAD)

    # --- rebuild and rescue ---------------------------------------------------------

    def rebuild(self, context, instance, image_meta, injected_files, admin_password,
                network_info=None, preserve_ephemeral=False, before_spawn=None):
        """A new guest from the new image; the ephemeral disk's tag survives when asked."""
        old = self._guest_or_new(instance)
        old.state = POWER_SHUTDOWN
        if before_spawn is not None:
            before_spawn()
        self.spawn(context, instance, image_meta, injected_files, admin_password,
                   allocations=None, network_info=network_info)
        new = self._guest(instance)
        new.rebuilds = old.rebuilds + 1
        new.volumes = old.volumes
        if preserve_ephemeral:
            new.ephemeral = old.ephemeral
        new.log('fake guest rebuilt from image %s' % new.image_id)

    def rescue(self, context, instance, network_info, image_meta, rescue_password,
               block_device_info=None):
        fake = self._guest(instance)
        fake.rescue_image = image_meta.id if 'id' in image_meta else None
        fake.state = POWER_RUNNING
        fake.log('fake guest booted from rescue image %s' % fake.rescue_image)

    def unrescue(self, context, instance):
        fake = self._guest(instance)
        fake.rescue_image = None
        fake.state = POWER_RUNNING
        fake.log('fake guest booted from its own disk again')

    def poll_rebooting_instances(self, timeout, instances):
        """Fake reboots finish at once: nothing is ever stuck."""

    # --- test helpers (what happens to a guest behind Nova's back) -----------------

    def simulate_guest_shutdown(self, instance_uuid):
        """The guest died outside Nova (a ``virsh destroy`` on a real host)."""
        with self._lock:
            fake = self.instances[instance_uuid]
        fake.state = POWER_SHUTDOWN
        fake.log('fake guest stopped outside nova')
        self.emit_event(virtevent.LifecycleEvent(instance_uuid,
                                                 virtevent.EVENT_LIFECYCLE_STOPPED))
