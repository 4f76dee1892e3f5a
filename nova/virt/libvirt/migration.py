"""Live migration for the libvirt driver (a mixin of LibvirtDriver).

Between two libvirtd, peer to peer: the source's libvirtd connects to the
destination's (``qemu+<[libvirt] live_migration_scheme, tcp>://<destination
address>/system``) and QEMU streams the guest to the destination's
``[libvirt] live_migration_inbound_addr`` with ``migrateToURI3``.

- Shared storage is found out, not configured: the destination writes a
  probe file into its instances directory and the source looks for it.
  Without shared storage the disks are copied (block migration: the
  destination makes empty copies of the disks over the same image cache
  bases in ``pre_live_migration``, QEMU copies the top layer over NBD);
  ``block_migration: "auto"`` picks whichever applies, an explicit choice
  that does not fit is refused (InvalidLocalStorage / InvalidSharedStorage).
- The destination's own addresses go into the migrated domain XML: its VNC
  and SPICE listen addresses, and its serial console on a port free there.
  The console log so far goes along and the destination's virtlogd appends
  to it, so the log keeps growing across moves.
- ``[libvirt] live_migration_bandwidth`` (MiB/s, 0 unlimited),
  ``live_migration_permit_auto_converge`` and ``live_migration_permit_post_copy``
  become migration flags; ``live_migration_completion_timeout`` (seconds per
  GiB of memory and copied disk, 0 never) ends a migration that does not
  converge with ``live_migration_timeout_action``: abort, or force_complete
  (post-copy where permitted, else the guest is paused so it converges).
- While it runs, the job's figures go into the Migration record every
  ``live_migration_monitor_interval`` seconds (memory and disk totals,
  processed, remaining).
"""

import os
import threading
import time
import uuid
from xml.etree import ElementTree

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import objects
from nova.virt import configdrive
from nova.virt.libvirt.bindings import libvirt
from nova.virt.libvirt import consoles
from nova.virt.libvirt import imagebackend

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# How often the running job is polled for completion (its figures are saved
# every live_migration_monitor_interval seconds).
_POLL_SECONDS = 0.2


def _flags(block_migration):
    flags = (libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER |
             libvirt.VIR_MIGRATE_PERSIST_DEST | libvirt.VIR_MIGRATE_UNDEFINE_SOURCE)
    if block_migration:
        flags |= libvirt.VIR_MIGRATE_NON_SHARED_INC
    if CONF.libvirt.live_migration_permit_post_copy:
        flags |= libvirt.VIR_MIGRATE_POSTCOPY
    elif CONF.libvirt.live_migration_permit_auto_converge:
        flags |= libvirt.VIR_MIGRATE_AUTO_CONVERGE
    return flags


def destination_uri(address):
    scheme = CONF.libvirt.live_migration_scheme or 'tcp'
    return 'qemu+%s://%s/system' % (scheme, address)


def update_xml(xml, migrate_data):
    """The domain XML with the destination's listen addresses and serial port."""
    root = ElementTree.fromstring(xml)
    devices = root.find('devices')
    listen = {'vnc': migrate_data.get('graphics_listen_addr_vnc'),
              'spice': migrate_data.get('graphics_listen_addr_spice')}
    for graphics in devices.findall('graphics'):
        address = listen.get(graphics.get('type'))
        if not address:
            continue
        graphics.set('listen', address)
        for child in graphics.findall('listen'):
            if child.get('type') == 'address':
                child.set('address', address)
    ports = list(migrate_data.get('serial_listen_ports') or [])
    for kind in ('serial', 'console'):
        for device in devices.findall(kind):
            source = device.find('source')
            if device.get('type') != 'tcp' or source is None:
                continue
            source.set('host', migrate_data.get('serial_listen_addr') or source.get('host'))
            if kind == 'serial' and ports:
                source.set('service', str(ports.pop(0)))
            elif kind == 'console':
                serial = devices.find("serial[@type='tcp']/source")
                if serial is not None:
                    source.set('service', serial.get('service'))
    return ElementTree.tostring(root, encoding='unicode')


class LiveMigrationMixin(object):

    def _live_jobs(self):
        if not hasattr(self, '_live_job_map'):
            self._live_job_map = {}
        return self._live_job_map

    # --- checks ------------------------------------------------------------------------

    def check_can_live_migrate_destination(self, context, instance, block_migration,
                                           disk_over_commit):
        probe = 'nova-live-migration-probe-%s' % uuid.uuid4().hex
        with open(os.path.join(CONF.instances_path, probe), 'w'):
            pass
        return {'block_migration': block_migration, 'filename': probe,
                'dest_host': CONF.my_ip,
                'target_connect_addr': CONF.libvirt.live_migration_inbound_addr or CONF.my_ip,
                'graphics_listen_addr_vnc': CONF.vnc.server_listen,
                'graphics_listen_addr_spice': CONF.spice.server_listen,
                'serial_listen_addr': CONF.serial_console.proxyclient_address
                if CONF.serial_console.enabled else None}

    def cleanup_live_migration_destination_check(self, context, dest_check_data):
        name = (dest_check_data or {}).get('filename')
        if name:
            try:
                os.unlink(os.path.join(CONF.instances_path, name))
            except FileNotFoundError:
                pass

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        data = dict(dest_check_data)
        shared = os.path.exists(os.path.join(CONF.instances_path, data['filename']))
        data['is_shared_instance_path'] = shared
        if data['block_migration'] is None:
            data['block_migration'] = not shared
        elif data['block_migration'] and shared:
            raise exception.InvalidLocalStorage(
                path=CONF.instances_path,
                reason='block migration cannot be used with shared storage')
        elif not data['block_migration'] and not shared:
            raise exception.InvalidSharedStorage(
                path=CONF.instances_path,
                reason='the hosts share no storage: use block migration')
        self._host.get_guest(instance)  # InstanceNotFound unless it is here
        log = imagebackend.instance_path(instance, 'console.log')
        if not shared and os.path.exists(log):
            data['console_log'] = consoles.tail(log).decode('utf-8', 'replace')
        return data

    # --- destination -----------------------------------------------------------------

    def pre_live_migration(self, context, instance, block_migration, migrate_data):
        data = dict(migrate_data)
        if not data.get('is_shared_instance_path'):
            imagebackend.create_image_disks(context, instance, objects.ImageMeta.from_dict(
                {}), self.image_fetch)
            self._fetch_kernel(context, instance)
            config_path = imagebackend.instance_path(instance, imagebackend.CONFIG)
            if configdrive.required_by(instance) and not os.path.exists(config_path):
                configdrive.make_config_drive(instance, config_path, request_context=context)
            if data.get('console_log'):
                with open(imagebackend.instance_path(instance, 'console.log'), 'w') as f:
                    f.write(data.pop('console_log'))
        if CONF.serial_console.enabled:
            data['serial_listen_ports'] = [consoles.acquire_serial_port(self._host)]
        return data

    def post_live_migration_at_destination(self, context, instance, block_migration):
        guest = self._host.get_guest(instance)
        with open(imagebackend.instance_path(instance, imagebackend.LIBVIRT_XML), 'w') as f:
            f.write(guest.get_xml_desc(dump_inactive=True))
        if instance.vm_state == 'active' and not guest.is_active():
            guest.launch()
        elif instance.vm_state == 'active' and \
                guest.get_state() == libvirt.VIR_DOMAIN_PAUSED:
            guest.resume()  # paused by force_complete to converge

    def rollback_live_migration_at_destination(self, context, instance, destroy_disks,
                                               migrate_data):
        shared = (migrate_data or {}).get('is_shared_instance_path')
        self._remove_guest(instance, destroy_disks=destroy_disks and not shared)

    # --- source -------------------------------------------------------------------------

    def live_migration(self, context, instance, dest, block_migration, migrate_data,
                       migration):
        guest = self._host.get_guest(instance)
        address = migrate_data.get('target_connect_addr') or dest
        params = {
            libvirt.VIR_MIGRATE_PARAM_URI: 'tcp://%s' % address,
            libvirt.VIR_MIGRATE_PARAM_DEST_XML: update_xml(
                guest.domain.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE), migrate_data),
        }
        if CONF.libvirt.live_migration_bandwidth:
            params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] = CONF.libvirt.live_migration_bandwidth
        if block_migration:
            params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] = [
                target for target, path in _local_disks(guest)]
        job = {'aborted': False, 'paused': False, 'error': None}
        self._live_jobs()[instance.uuid] = (guest, job)

        def run():
            try:
                guest.domain.migrateToURI3(destination_uri(address), params,
                                           _flags(block_migration))
            except libvirt.libvirtError as exc:
                job['error'] = exc
        worker = threading.Thread(target=run, name='migrate-%s' % instance.uuid, daemon=True)
        started = time.monotonic()
        worker.start()
        try:
            self._monitor(instance, guest, job, worker, migration, started)
        finally:
            self._live_jobs().pop(instance.uuid, None)
        if job['error'] is not None:
            if job['aborted'] or job['error'].get_error_code() == \
                    libvirt.VIR_ERR_OPERATION_ABORTED:
                raise exception.LiveMigrationAborted(instance_uuid=instance.uuid)
            raise exception.MigrationError(reason=str(job['error']))

    def _monitor(self, instance, guest, job, worker, migration, started):
        """Save the job's figures while it runs; end it on the completion timeout."""
        interval = CONF.libvirt.live_migration_monitor_interval
        saved = 0.0
        limit = None
        while worker.is_alive():
            worker.join(_POLL_SECONDS)
            try:
                stats = guest.domain.jobStats()
            except libvirt.libvirtError:
                continue  # the job ended between the two calls
            if not stats or stats.get('type') == libvirt.VIR_DOMAIN_JOB_NONE:
                continue
            memory = stats.get('memory_total', 0)
            disk = stats.get('disk_total', 0)
            if limit is None and CONF.libvirt.live_migration_completion_timeout and memory:
                gib = max(1.0, (memory + disk) / float(1024 ** 3))
                limit = CONF.libvirt.live_migration_completion_timeout * gib
            if time.monotonic() - saved >= interval:
                saved = time.monotonic()
                migration.memory_total = memory
                migration.memory_processed = stats.get('memory_processed', 0)
                migration.memory_remaining = stats.get('memory_remaining', 0)
                migration.disk_total = disk
                migration.disk_processed = stats.get('disk_processed', 0)
                migration.disk_remaining = stats.get('disk_remaining', 0)
                try:
                    migration.save()
                except Exception as exc:
                    LOG.warning('Could not save the progress of %s: %s', instance.uuid, exc)
            if limit is not None and time.monotonic() - started > limit and \
                    not job.get('timed_out'):
                job['timed_out'] = True
                LOG.warning('Live migration of %s did not complete within %ds: %s',
                            instance.uuid, limit, CONF.libvirt.live_migration_timeout_action)
                if CONF.libvirt.live_migration_timeout_action == 'force_complete':
                    self.live_migration_force_complete(instance)
                else:
                    self.live_migration_abort(instance)

    def live_migration_force_complete(self, instance):
        guest, job = self._running_job(instance)
        if CONF.libvirt.live_migration_permit_post_copy:
            guest.domain.migrateStartPostCopy()
        else:
            job['paused'] = True
            guest.pause()

    def live_migration_abort(self, instance):
        guest, job = self._running_job(instance)
        job['aborted'] = True
        guest.domain.abortJob()

    def _running_job(self, instance):
        found = self._live_jobs().get(instance.uuid)
        if found is None:
            raise exception.MigrationError(reason='no live migration of %s runs here'
                                           % instance.uuid)
        return found

    def post_live_migration_at_source(self, context, instance, migrate_data):
        if not migrate_data.get('is_shared_instance_path'):
            imagebackend.remove_instance_dir(instance)

    def live_migration_left_host(self, instance):
        # VIR_MIGRATE_UNDEFINE_SOURCE: a finished migration leaves no domain here;
        # a failed or aborted one leaves it defined.
        return not self.instance_exists(instance)

    def rollback_live_migration_at_source(self, context, instance, migrate_data):
        try:
            guest = self._host.get_guest(instance)
        except exception.InstanceNotFound:
            return
        if instance.vm_state == 'active' and \
                guest.get_state() == libvirt.VIR_DOMAIN_PAUSED:
            guest.resume()  # paused by force_complete, then the migration failed


def _local_disks(guest):
    """(target dev, path) of the guest's writable file disks (what a block
    migration copies; read-only ones such as a config drive are made anew)."""
    found = []
    for disk in guest.get_xml_tree().findall('./devices/disk'):
        source, target = disk.find('source'), disk.find('target')
        if disk.get('type') != 'file' or source is None or target is None or \
                disk.find('readonly') is not None:
            continue
        found.append((target.get('dev'), source.get('file')))
    return found
