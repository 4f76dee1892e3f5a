"""The compute API: what the REST layer asks of Nova for servers.

Creating a server records a BuildRequest, a RequestSpec and an InstanceMapping
in the API database and hands them to conductor; from then on conductor,
the scheduler and the chosen compute host move the server to ACTIVE (or to
cell0 in ERROR). Reads combine build requests with the cell databases.
"""

import base64
import random
import string

from oslo_log import log as logging
from oslo_utils import excutils
from oslo_utils import timeutils
from oslo_utils import uuidutils

import nova.conf
from nova.compute.api import actions as api_actions
from nova.compute.api import metadata as api_metadata
from nova.compute.api import down_cells
from nova.compute import instance_actions
from nova.compute.api import instance_list
from nova.compute.api import record_cleanup
from nova.compute import power_state
from nova.compute.api import requested_destination
from nova.compute.api import shelve as api_shelve
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova.network import neutron as network_neutron
from nova import objects
from nova.objects import security_group as security_group_obj
from nova.objects import base as objects_base
from nova.objects import instance_record
from nova import quota

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Attributes every server view needs; loading them with the instance avoids
# one query per server per attribute.
DEFAULT_EXPECTED_ATTRS = ['metadata', 'system_metadata', 'flavor', 'info_cache',
                          'security_groups', 'tags']

NETWORKS_NONE = 'none'
NETWORKS_AUTO = 'auto'

_IMAGE_SYSMETA_KEYS = ('min_ram', 'min_disk', 'disk_format', 'container_format')


def _reservation_id():
    return 'r-' + ''.join(random.choice(string.ascii_lowercase + string.digits)
                          for _ in range(8))


def _sanitize_hostname(name, default='server'):
    """A DNS-safe hostname from a display name, as upstream derives it."""
    allowed = set(string.ascii_letters + string.digits + '-.')
    cleaned = ''.join(c if c in allowed else '-' for c in name.replace('_', '-'))
    cleaned = cleaned.strip('-.')[:63].rstrip('-.')
    return cleaned.lower() or default


def _trusted_certs(trusted_certs):
    """The certificates a new server's image must be signed under (2.63), or None.

    With none requested, ``[glance] default_trusted_certificate_ids`` apply
    when signature verification and certificate validation are both on.
    The compute host checks the image's signature against them (through a
    key manager) before using the image; the API only records them.
    """
    if trusted_certs:
        return objects.TrustedCerts(ids=list(trusted_certs))
    if (CONF.glance.verify_glance_signatures and CONF.glance.enable_certificate_validation
            and CONF.glance.default_trusted_certificate_ids):
        return objects.TrustedCerts(ids=list(CONF.glance.default_trusted_certificate_ids))
    return None


def _image_system_metadata(image):
    """``image_*`` keys the instance keeps so it outlives its image."""
    sysmeta = {}
    for key in _IMAGE_SYSMETA_KEYS:
        value = image.get(key)
        if value is not None:
            sysmeta['image_%s' % key] = str(value)
    for key, value in (image.get('properties') or {}).items():
        if value is not None:
            sysmeta['image_%s' % key] = str(value)[:255]
    if image.get('id'):
        sysmeta['image_base_image_ref'] = image['id']
    return sysmeta


def _release_ports(context, instance):
    """Free the ports of a server deleted without its host; a Neutron that does
    not answer is logged, the delete goes on."""
    if not network_neutron.is_enabled():
        return
    network_info = None
    if instance.obj_attr_is_set('info_cache') and instance.info_cache is not None:
        network_info = instance.info_cache.network_info
    try:
        network_neutron.API().deallocate_for_instance(context, instance, network_info)
    except Exception as exc:
        LOG.warning('Could not release the ports of deleted server %s: %s',
                    instance.uuid, exc)


_BDM_KEYS = ('source_type', 'destination_type', 'boot_index', 'device_name', 'volume_size',
             'delete_on_termination', 'guest_format', 'device_type', 'disk_bus',
             'volume_type', 'tag', 'volume_id', 'snapshot_id', 'image_id')


def _volume_mappings(bdms):
    """The mappings that need Cinder, as objects the conductor writes in the cell."""
    return objects.BlockDeviceMappingList(objects=[
        objects.BlockDeviceMapping(**{k: bdm[k] for k in _BDM_KEYS if bdm.get(k) is not None})
        for bdm in bdms or [] if bdm['destination_type'] == 'volume'])


class ServersAPIMixin(object):
    """Create, show, list and delete servers, for ``nova.compute.api.API``.

    The API object provides the clients (``image_api``, ``compute_task_api``,
    ``compute_rpcapi``, ``servicegroup_api``, ``reportclient``).
    """

    # --- create -----------------------------------------------------------------

    def _get_image(self, context, image_href):
        image_id = str(image_href).rstrip('/').rsplit('/', 1)[-1]
        image = self.image_api.get(context, image_id)
        if image.get('status') != 'active':
            raise exception.ImageNotActive(image_id=image_id)
        return image_id, image

    @staticmethod
    def _check_flavor_fits_image(flavor, image):
        if image.get('min_ram') and flavor.memory_mb < int(image['min_ram']):
            raise exception.FlavorMemoryTooSmall()
        min_disk_gb = int(image.get('min_disk') or 0)
        image_gb = (int(image.get('size') or 0) + 2**30 - 1) // 2**30
        if flavor.root_gb and max(min_disk_gb, image_gb) > flavor.root_gb:
            raise exception.FlavorDiskTooSmall()

    @staticmethod
    def _check_networks(context, requested_networks, security_groups, min_count,
                        max_count):
        """How many servers the requested networks allow (at most ``max_count``).

        With Neutron: networks, ports, fixed IPs, security groups and the
        port quota are checked now, before anything is recorded. Without a
        network service only 'none' and 'auto' (no ports) can be honoured.
        """
        if network_neutron.is_enabled():
            api = network_neutron.API()
            allowed = api.validate_networks(context, requested_networks, max_count,
                                            min_count=min_count)
            if security_groups and requested_networks != NETWORKS_NONE:
                api.resolve_security_groups(context, security_groups)
            return allowed
        if requested_networks in (None, NETWORKS_NONE, NETWORKS_AUTO):
            return max_count
        if not requested_networks:
            return max_count
        ids = ', '.join(str(n.get('uuid') or n.get('port') or n) for n in requested_networks)
        raise exception.NetworkServiceUnavailable(requested=ids)

    @staticmethod
    def _availability_zone(context, availability_zone):
        """Split 'zone:host:node' (admin-forced destinations) and check the zone."""
        forced_host = forced_node = None
        if availability_zone and ':' in availability_zone:
            parts = availability_zone.split(':')
            availability_zone = parts[0] or None
            forced_host = parts[1] or None if len(parts) > 1 else None
            forced_node = parts[2] or None if len(parts) > 2 else None
        if availability_zone is None:
            availability_zone = CONF.default_schedule_zone
        if availability_zone and availability_zone != CONF.default_availability_zone:
            zones = {agg.availability_zone for agg in
                     objects.AggregateList.get_by_metadata_key(context, 'availability_zone')}
            if availability_zone not in zones:
                raise exception.InvalidAvailabilityZone()
        return availability_zone, forced_host, forced_node

    def _base_instance(self, context, flavor, image_id, image, name, description, metadata,
                       keypair, user_data, config_drive, access_ip_v4, access_ip_v6,
                       availability_zone, reservation_id):
        instance = objects.Instance(context)
        instance.user_id = context.user_id
        instance.project_id = context.project_id
        instance.image_ref = image_id or ''
        instance.power_state = power_state.NOSTATE
        instance.vm_state = vm_states.BUILDING
        instance.task_state = task_states.SCHEDULING
        instance.flavor = flavor
        instance.old_flavor = None
        instance.new_flavor = None
        instance.instance_type_id = flavor.id
        instance.memory_mb = flavor.memory_mb
        instance.vcpus = flavor.vcpus
        instance.root_gb = flavor.root_gb
        instance.ephemeral_gb = flavor.ephemeral_gb
        instance.display_name = name
        instance.display_description = description
        instance.metadata = dict(metadata or {})
        sysmeta = _image_system_metadata(image or {})
        # DynamicJSON vendor data tells its services the roles the server was booted with.
        sysmeta['boot_roles'] = ','.join(getattr(context, 'roles', None) or [])
        instance.system_metadata = sysmeta
        instance.key_name = keypair.name if keypair else None
        instance.key_data = keypair.public_key if keypair else None
        instance.keypairs = objects.KeyPairList(objects=[keypair] if keypair else [])
        instance.user_data = user_data
        instance.config_drive = 'True' if config_drive else ''
        instance.access_ip_v4 = access_ip_v4
        instance.access_ip_v6 = access_ip_v6
        instance.availability_zone = availability_zone
        instance.reservation_id = reservation_id
        instance.locked = False
        instance.locked_by = None
        instance.progress = 0
        instance.launched_at = None
        instance.terminated_at = None
        instance.host = None
        instance.node = None
        instance.launched_on = None
        instance.architecture = (image or {}).get('properties', {}).get('architecture')
        instance.os_type = (image or {}).get('properties', {}).get('os_type')
        instance.root_device_name = None
        instance.kernel_id = (image or {}).get('properties', {}).get('kernel_id') or ''
        instance.ramdisk_id = (image or {}).get('properties', {}).get('ramdisk_id') or ''
        instance.hidden = False
        instance.cleaned = False
        instance.deleted = False
        instance.security_groups = objects.SecurityGroupList(objects=[])
        instance.info_cache = objects.InstanceInfoCache(network_info=[])
        instance.tags = objects.TagList(objects=[])
        instance.created_at = timeutils.utcnow()
        instance.updated_at = None
        return instance

    def create(self, context, flavor, image_href, name=None, min_count=1, max_count=1,
               availability_zone=None, metadata=None, key_name=None, requested_networks=None,
               user_data=None, config_drive=None, admin_password=None, access_ip_v4=None,
               access_ip_v6=None, scheduler_hints=None, description=None, hostname=None,
               tags=None, block_device_mapping=None, return_reservation_id=False,
               security_groups=None, requested_host=None,
               requested_hypervisor_hostname=None, trusted_certs=None,
               supports_multiattach=False, injected_files=None):
        """Record and hand off ``max_count`` (at least ``min_count``) new servers.

        ``supports_multiattach`` (2.60) lets the mappings name multiattach volumes.

        ``requested_host``/``requested_hypervisor_hostname`` (2.74) limit
        scheduling to that host or node; both must exist.
        """
        min_count = min_count or 1
        max_count = max_count or min_count
        if min_count > max_count:
            raise exception.InvalidRequest()
        max_count = self._check_networks(context, requested_networks, security_groups,
                                         min_count, max_count)
        image_id, image = (None, {})
        trusted_certs = _trusted_certs(trusted_certs)
        if image_href:
            image_id, image = self._get_image(context, image_href)
            self._check_flavor_fits_image(flavor, image)
        elif not block_device_mapping:
            raise exception.InvalidBDM(reason='an image or a bootable volume is required')
        elif trusted_certs is not None:
            # The volume's data never comes from Glance, so there is no
            # image signature for the certificates to vouch for.
            raise exception.CertificateValidationFailed(
                message='Image certificate validation is not supported when booting '
                        'from volume')
        self.validate_block_devices(context, block_device_mapping, image_id, flavor,
                                    supports_multiattach=supports_multiattach)
        if max_count > 1 and any(b.get('source_type') == 'volume'
                                 for b in block_device_mapping or []):
            raise exception.InvalidInput(
                reason='Cannot attach one or more volumes to multiple instances')
        keypair = None
        if key_name is not None:
            keypair = objects.KeyPair.get_by_name(context, context.user_id, key_name)
        availability_zone, forced_host, forced_node = self._availability_zone(
            context, availability_zone)
        if requested_host or requested_hypervisor_hostname:
            requested_destination.validate(context, requested_host,
                                           requested_hypervisor_hostname)
        num_instances = quota.allowed_instances(context, context.project_id, flavor,
                                                min_count, max_count,
                                                user_id=context.user_id)
        api_metadata.check_metadata_properties_quota(context, metadata)
        # Personality files (up to 2.56): (path, contents) pairs, within the quota.
        injected_files = list(injected_files or [])
        quota.check_injected_files(context, context.project_id, injected_files)
        instance_group = self.get_requested_instance_group(context, scheduler_hints)
        self.check_server_group_members_quota(context, instance_group, num_instances)
        if user_data is not None and isinstance(user_data, bytes):
            user_data = base64.b64encode(user_data).decode()
        reservation_id = _reservation_id()
        image_meta = objects.ImageMeta.from_dict(image) if image else objects.ImageMeta()

        build_requests, request_specs, instances = [], [], []
        # All servers of one request are recorded in one API-DB transaction:
        # either every build request, spec and mapping exists, or none does.
        with objects_base.api_db_transaction(context):
            for index in range(num_instances):
                display_name = name if num_instances == 1 else '%s-%d' % (name, index + 1)
                instance = self._base_instance(
                    context, flavor, image_id, image, display_name, description, metadata,
                    keypair, user_data, config_drive, access_ip_v4, access_ip_v6,
                    availability_zone, reservation_id)
                instance.uuid = uuidutils.generate_uuid()
                instance.launch_index = index
                instance.trusted_certs = (trusted_certs.obj_clone()
                                          if trusted_certs is not None else None)
                instance.hostname = (hostname if hostname and num_instances == 1
                                     else _sanitize_hostname(display_name))
                spec = objects.RequestSpec.from_components(
                    context, instance.uuid, image_meta, flavor, num_instances=num_instances,
                    availability_zone=availability_zone, scheduler_hints=scheduler_hints,
                    instance_group=self.spec_instance_group(instance_group),
                    project_id=context.project_id, user_id=context.user_id,
                    force_hosts=[forced_host] if forced_host else None,
                    force_nodes=[forced_node] if forced_node else None,
                    is_bfv=not image_href,
                    security_groups=security_group_obj.make_secgroup_list(security_groups))
                # Per request, like upstream: not written with the spec, so a
                # later move of the server is not pinned to this host.
                spec.requested_destination = requested_destination.build(
                    requested_host, requested_hypervisor_hostname)
                spec.create()
                build_request = objects.BuildRequest(
                    context, instance=instance, instance_uuid=instance.uuid,
                    project_id=context.project_id,
                    block_device_mappings=_volume_mappings(block_device_mapping),
                    tags=objects.TagList(objects=[objects.Tag(tag=t) for t in tags or []]))
                build_request.create()
                objects.InstanceMapping(
                    context, instance_uuid=instance.uuid, project_id=context.project_id,
                    user_id=context.user_id, cell_mapping=None,
                    queued_for_delete=False).create()
                self.add_group_members(context, instance_group, [instance.uuid])
                build_requests.append(build_request)
                request_specs.append(spec)
                instances.append(build_request.instance)
        try:
            self._recheck_quota(context, flavor)
            self.compute_task_api.schedule_and_build_instances(
                context, build_requests=build_requests, request_specs=request_specs,
                image=image, admin_password=admin_password, injected_files=injected_files,
                requested_networks=requested_networks, block_device_mapping=[], tags=tags)
        except Exception:
            # Over quota, the database or the broker failing: the request fails
            # and what it wrote goes, so no server is left waiting for a
            # conductor that never heard of it.
            with excutils.save_and_reraise_exception():
                record_cleanup.undo(context, build_requests, request_specs)
        return instances, reservation_id

    @staticmethod
    def _recheck_quota(context, flavor):
        """``[quota] recheck_quota``: count again now that our records exist.

        A concurrent request may have passed the first check too; whoever
        finds the project over its limit after committing undoes its own
        records (the caller does), so the limit is never exceeded.
        """
        quota.recheck_instances(context, context.project_id, flavor,
                                user_id=context.user_id)

    # --- read -------------------------------------------------------------------

    def _check_visible(self, context, instance):
        if not context.is_admin and instance.project_id != context.project_id:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return instance

    def get(self, context, instance_id, expected_attrs=None, cell_down_support=False,
            records=False):
        """One server, from its cell or (while it is scheduled) its build request.

        With ``records`` a cell's server comes as a read-only InstanceRecord.
        """
        if not uuidutils.is_uuid_like(instance_id):
            raise exception.InstanceNotFound(instance_id=instance_id)
        expected_attrs = expected_attrs if expected_attrs is not None else \
            DEFAULT_EXPECTED_ATTRS
        for _attempt in range(2):
            try:
                mapping = objects.InstanceMapping.get_by_instance_uuid(context, instance_id)
            except exception.InstanceMappingNotFound:
                raise exception.InstanceNotFound(instance_id=instance_id)
            if mapping.cell_mapping is not None:
                instance = self._get_from_cell(context, mapping, expected_attrs,
                                               cell_down_support, records)
                return self._check_visible(context, instance)
            try:
                build_request = objects.BuildRequest.get_by_instance_uuid(context,
                                                                          instance_id)
                return self._check_visible(context, build_request.instance)
            except exception.BuildRequestNotFound:
                # Scheduled between our two reads: the mapping now names a cell.
                continue
        raise exception.InstanceNotFound(instance_id=instance_id)

    @staticmethod
    def _get_from_cell(context, mapping, expected_attrs, cell_down_support, records=False):
        """The cell's row; if the cell does not answer, a partial record (2.69) or
        CellNotResponding."""
        read = instance_record.get_by_uuid if records else objects.Instance.get_by_uuid
        try:
            with nova_context.target_cell(context, mapping.cell_mapping) as cctxt:
                return read(cctxt, mapping.instance_uuid, expected_attrs=expected_attrs)
        except exception.NotFound:
            raise
        except Exception as exc:
            if cell_down_support:
                return down_cells.shown(context, mapping)
            LOG.error('Cell %s failed to read instance %s: %s', mapping.cell_mapping.uuid,
                      mapping.instance_uuid, exc)
            raise exception.CellNotResponding(cell_uuid=mapping.cell_mapping.uuid)

    def get_all(self, context, search_opts=None, limit=None, marker=None,
                expected_attrs=None, sort_keys=None, sort_dirs=None,
                cell_down_support=False, all_tenants=False, records=False):
        """Servers matching ``search_opts``, newest first unless sorted otherwise.

        With ``records`` a list of read-only InstanceRecords (and build
        requests' Instances) rather than an InstanceList.
        """
        filters = dict(search_opts or {})
        if not context.is_admin or not (all_tenants or filters.pop('all_tenants', False)):
            filters.setdefault('project_id', context.project_id)
        if not context.is_admin:
            filters['project_id'] = context.project_id
        if 'deleted' not in filters:
            filters['deleted'] = False
        # The API filters on a flavor's flavorid and an image's id; instances
        # record the flavor's row id and the image as image_ref.
        if 'flavor' in filters:
            filters['instance_type_id'] = objects.Flavor.get_by_flavor_id(
                context, filters.pop('flavor')).id  # FlavorNotFound: the caller's empty list
        if 'image' in filters:
            filters['image_ref'] = filters.pop('image')
        expected_attrs = expected_attrs if expected_attrs is not None else \
            DEFAULT_EXPECTED_ATTRS
        return instance_list.get_instances_sorted(
            context, filters, limit, marker, expected_attrs, sort_keys, sort_dirs,
            cell_down_support=cell_down_support, records=records)

    # --- delete -------------------------------------------------------------------

    def _delete_while_booting(self, context, instance):
        """Delete a server that is still a build request; True if that was the case.

        Conductor may have lost the build (stopped, or its message lost), so
        nothing here counts on it: the allocation the scheduler may have
        claimed is freed now, and a cell record conductor may have written
        before it stopped goes too. A conductor still at work finds the build
        request gone and removes what it wrote itself.
        """
        try:
            build_request = objects.BuildRequest.get_by_instance_uuid(context, instance.uuid)
        except exception.BuildRequestNotFound:
            return False
        try:
            build_request.destroy()
        except exception.BuildRequestNotFound:
            return False
        # Never scheduled: the API reports the delete, as upstream does.
        with compute_utils.notify_about_instance_delete(context, instance,
                                                        source='nova-api'):
            pass
        self._set_mapping_queued_for_delete(context, instance.uuid)
        self.reportclient.delete_allocation_for_instance(context, instance.uuid)
        self._delete_cell_copy(context, instance.uuid)
        return True

    def _delete_cell_copy(self, context, instance_uuid):
        """Remove the cell record of a server whose build request was just deleted."""
        _cell, record = compute_utils.find_cell_record(context, instance_uuid)
        if record is None:
            return
        LOG.info('Instance %s had a cell record beside its build request; deleting it too',
                 instance_uuid)
        try:
            if record.host is None:
                compute_utils.finish_delete(record._context, record, self.reportclient)
            else:
                self._hard_delete(context, record)
        except exception.InstanceNotFound:
            pass  # conductor removed it meanwhile

    def _cell_record(self, context, instance):
        """The cell record of a server whose build request went while we looked.

        Conductor turned it into a cell record (or the user's other DELETE
        removed it: InstanceNotFound).
        """
        _cell, record = compute_utils.find_cell_record(context, instance.uuid)
        if record is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return record

    @staticmethod
    def _set_mapping_queued_for_delete(context, instance_uuid, queued=True):
        """Mark (or unmark, on restore) the server's mapping as on its way out: lists
        of down cells and quota counted from mappings leave such servers out."""
        try:
            mapping = objects.InstanceMapping.get_by_instance_uuid(context, instance_uuid)
        except exception.InstanceMappingNotFound:
            return
        mapping.queued_for_delete = queued
        mapping.save()

    def _host_is_up(self, context, host):
        try:
            service = objects.Service.get_by_compute_host(context, host)
        except exception.NotFound:
            return False
        return self.servicegroup_api.service_is_up(service)

    def _local_delete(self, context, instance):
        """Finish a delete without a compute host (never placed, or host is down)."""
        _release_ports(context, instance)
        with compute_utils.notify_about_instance_delete(context, instance,
                                                        source='nova-api'):
            compute_utils.finish_delete(context, instance, self.reportclient)
        # Its console tokens go with it (compute does the same on its deletes).
        objects.ConsoleAuthToken.clean_console_auths_for_instance(context, instance.uuid)

    def delete(self, context, instance):
        """Delete a server wherever it is in its life."""
        if instance.locked and not context.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        if instance.host is None:
            if self._delete_while_booting(context, instance):
                return
            # Read again: what we were given may be the build request's copy
            # of a server conductor has meanwhile written to a cell.
            instance = self._cell_record(context, instance)
            if instance.locked and not context.is_admin:
                raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        if (CONF.reclaim_instance_interval > 0 and instance.host and
                instance.launched_at and instance.vm_state != vm_states.SOFT_DELETED):
            # Deferred delete: kept until reclaimed (or restored), see api_actions.
            return self.soft_delete(context, instance)
        self._hard_delete(context, instance)

    def _hard_delete(self, context, instance):
        cctxt = instance._context or context
        api_shelve.delete_shelved_image(context, self.image_api, instance)
        objects.InstanceAction.action_start(cctxt, instance.uuid, instance_actions.DELETE,
                                            want_result=False)
        if instance.host is None or not self._host_is_up(cctxt, instance.host):
            self._local_delete(cctxt, instance)
            objects.InstanceAction.action_finish(cctxt, instance.uuid, want_result=False)
            self._set_mapping_queued_for_delete(context, instance.uuid)
            return
        instance.task_state = task_states.DELETING
        instance.save(expected_task_state=[None, task_states.DELETING,
                                           task_states.SCHEDULING, task_states.SPAWNING,
                                           task_states.NETWORKING,
                                           task_states.BLOCK_DEVICE_MAPPING]
                      + list(api_actions.DELETABLE_TASK_STATES))
        self._set_mapping_queued_for_delete(context, instance.uuid)
        self.compute_rpcapi.terminate_instance(cctxt, instance, bdms=[])
