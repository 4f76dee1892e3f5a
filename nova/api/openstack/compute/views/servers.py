"""Server bodies as each microversion shows them (index, detail, show, create).

The builder reads only what the instance already carries (the controller asks
the compute API to join what a detail view needs); a server still held as a
build request has no cell-database row, so nothing is lazy-loaded for it.
Per-page look-ups (volumes, request specs) are done once for the whole page.
"""

import hashlib

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.api.openstack import common
from nova.compute import api as compute_api
from nova import exception
from nova.network import neutron as network_neutron
from nova.network import neutron_client
from nova import objects
from nova.objects import instance_record

LOG = logging.getLogger(__name__)

EXTENDED_ATTRS_POLICY = 'os_compute_api:os-extended-server-attributes'
HOST_STATUS_POLICY = 'os_compute_api:servers:show:host_status'
HOST_STATUS_UNKNOWN_ONLY_POLICY = 'os_compute_api:servers:show:host_status:unknown-only'
FLAVOR_EXTRA_SPECS_POLICY = 'os_compute_api:servers:show:flavor-extra-specs'

# (vm_state, task_state) -> status; the None key of each row is its default.
_STATE_MAP = {
    'active': {
        None: 'ACTIVE',
        'rebooting': 'REBOOT', 'reboot_pending': 'REBOOT', 'reboot_started': 'REBOOT',
        'rebooting_hard': 'HARD_REBOOT', 'reboot_pending_hard': 'HARD_REBOOT',
        'reboot_started_hard': 'HARD_REBOOT',
        'updating_password': 'PASSWORD',
        'rebuilding': 'REBUILD', 'rebuild_block_device_mapping': 'REBUILD',
        'rebuild_spawning': 'REBUILD',
        'migrating': 'MIGRATING',
        'resize_prep': 'RESIZE', 'resize_migrating': 'RESIZE',
        'resize_migrated': 'RESIZE', 'resize_finish': 'RESIZE',
    },
    'building': {None: 'BUILD'},
    'stopped': {
        None: 'SHUTOFF',
        'resize_prep': 'RESIZE', 'resize_migrating': 'RESIZE',
        'resize_migrated': 'RESIZE', 'resize_finish': 'RESIZE',
        'rebuilding': 'REBUILD', 'rebuild_block_device_mapping': 'REBUILD',
        'rebuild_spawning': 'REBUILD',
    },
    'resized': {None: 'VERIFY_RESIZE', 'resize_reverting': 'REVERT_RESIZE'},
    'paused': {None: 'PAUSED', 'migrating': 'MIGRATING'},
    'suspended': {None: 'SUSPENDED'},
    'rescued': {None: 'RESCUE'},
    'error': {
        None: 'ERROR',
        'rebuilding': 'REBUILD', 'rebuild_block_device_mapping': 'REBUILD',
        'rebuild_spawning': 'REBUILD',
    },
    'deleted': {None: 'DELETED'},
    'soft-delete': {None: 'SOFT_DELETED'},
    'shelved': {None: 'SHELVED'},
    'shelved_offloaded': {None: 'SHELVED_OFFLOADED'},
}

# status -> the vm_states (and task states) a ?status= filter means.
_STATUS_FILTERS = {}
for _vm_state, _row in _STATE_MAP.items():
    for _task_state, _status in _row.items():
        _STATUS_FILTERS.setdefault(_status, {}).setdefault(_vm_state, set()).add(_task_state)

_PROGRESS_STATUSES = ('ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING')
_FAULT_STATUSES = ('ERROR', 'DELETED')

# Image attributes kept in system_metadata that are not image *properties*.
_IMAGE_BASE_KEYS = {'base_image_ref', 'min_disk', 'min_ram', 'disk_format',
                    'container_format', 'size', 'checksum', 'name', 'owner', 'status'}


def status_from_state(vm_state, task_state='default'):
    """Upstream's API status for a (vm_state, task_state) pair."""
    row = _STATE_MAP.get(vm_state)
    if row is None:
        return 'UNKNOWN'
    status = row.get(task_state)
    if status is None:
        status = row[None]
    if status == 'UNKNOWN' and vm_state == 'building':
        return 'BUILD'
    return status


def states_for_status(status):
    """{vm_state: set(task_states)} a status filter selects; {} if it selects nothing.

    ``None`` in a task-state set means "any task state not mapped elsewhere in
    this row"; callers that filter in the database use just the vm_states.
    """
    return _STATUS_FILTERS.get(status.upper(), {})


def _isotime(value):
    if value is None:
        return None
    return timeutils.normalize_time(value).strftime('%Y-%m-%dT%H:%M:%SZ')


def _usage_time(value):
    if value is None:
        return None
    return timeutils.normalize_time(value).isoformat()


def _field(instance, name, default=None):
    """The attribute if set; lazy-loaded only for rows that exist in a cell."""
    if isinstance(instance, _Safe):
        instance = instance._instance
    if type(instance) is instance_record.InstanceRecord:
        # Carries every column and what the view asked for; nothing to load.
        return instance.get(name, default)
    if instance.obj_attr_is_set(name):
        return getattr(instance, name)
    if not instance.obj_attr_is_set('id'):
        return default
    try:
        return getattr(instance, name)
    except Exception:  # a broken lazy-load must not break a list of servers
        LOG.debug('Could not load %s of instance %s', name, instance.uuid, exc_info=True)
        return default


class _Safe(object):
    """Read-only view of an instance whose unset fields read as defaults.

    A build request's instance has only what the API set; touching any other
    field would try (and fail) to lazy-load it from a cell database.
    """

    _DEFAULTS = {'locked': False, 'auto_disk_config': False}

    def __init__(self, instance):
        self._instance = instance

    def __getattr__(self, name):
        instance = self._instance
        if name not in instance.fields:
            return getattr(instance, name)
        return _field(instance, name, self._DEFAULTS.get(name))


def host_id(project_id, host):
    """The per-project opaque host identifier upstream shows as ``hostId``."""
    if not host:
        return ''
    return hashlib.sha224(((project_id or '') + host).encode('utf-8')).hexdigest()


def _safe(instance):
    """``instance`` as the builder reads it: records as they are, objects through _Safe."""
    if type(instance) is instance_record.InstanceRecord:
        return instance
    return _Safe(instance)


class ViewBuilder(common.ViewBuilder):

    _collection_name = 'servers'

    # --- create / index ------------------------------------------------------

    def create(self, req, instance):
        instance = _safe(instance)
        return {'server': {
            'id': instance.uuid,
            'links': self._get_links(req, instance.uuid),
            'OS-DCF:diskConfig': 'AUTO' if instance.auto_disk_config else 'MANUAL',
        }}

    def basic(self, req, instance):
        if compute_api.is_partial(instance):
            return {'server': {'id': instance.uuid, 'status': 'UNKNOWN',
                               'links': self._get_links(req, instance.uuid)}}
        instance = _safe(instance)
        return {'server': {
            'id': instance.uuid,
            'name': instance.display_name,
            'links': self._get_links(req, instance.uuid),
        }}

    def index(self, req, instances):
        items = [self.basic(req, inst)['server'] for inst in instances]
        return self._list(req, items, instances)

    # --- detail / show --------------------------------------------------------

    def detail(self, req, instances):
        context = req.environ['nova.context']
        page = _PageData(context, req, instances, show_only=False)
        items = [self._show(req, inst, page) for inst in instances]
        return self._list(req, items, instances)

    def show(self, req, instance, server_groups=True, minimal=False):
        """GET's body; ``minimal`` is the slimmer body PUT returned before 2.75."""
        context = req.environ['nova.context']
        page = _PageData(context, req, [instance], show_only=server_groups)
        return {'server': self._show(req, instance, page, minimal=minimal)}

    def _list(self, req, items, instances):
        body = {'servers': items}
        links = self._get_collection_links(req, [{'id': i.uuid} for i in instances],
                                           id_key='id')
        if links:
            body['servers_links'] = links
        return body

    def _show(self, req, inst, page, minimal=False):
        version = req.api_version_request
        if compute_api.is_partial(inst):
            return self._show_partial(req, inst, page)
        inst = _safe(inst)
        status = status_from_state(inst.vm_state, inst.task_state)
        server = {
            'id': inst.uuid,
            'name': inst.display_name,
            'status': status,
            'tenant_id': inst.project_id,
            'user_id': inst.user_id,
            'metadata': dict(_field(inst, 'metadata', {}) or {}),
            'hostId': host_id(inst.project_id, inst.host),
            'image': self._image(req, inst),
            'flavor': self._flavor(req, inst, page),
            'created': _isotime(inst.created_at),
            'updated': _isotime(inst.updated_at or inst.created_at),
            'addresses': self._addresses(inst),
            'accessIPv4': str(inst.access_ip_v4) if inst.access_ip_v4 else '',
            'accessIPv6': str(inst.access_ip_v6) if inst.access_ip_v6 else '',
            'links': self._get_links(req, inst.uuid),
            'OS-DCF:diskConfig': 'AUTO' if inst.auto_disk_config else 'MANUAL',
        }
        if status in _PROGRESS_STATUSES:
            server['progress'] = inst.progress or 0
        if status in _FAULT_STATUSES:
            fault = self._fault(inst, page)
            if fault:
                server['fault'] = fault
        if not minimal:
            self._add_extensions(req, inst, page, server)
        if version >= '2.9':
            server['locked'] = bool(inst.locked)
        if version >= '2.19':
            server['description'] = inst.display_description
        if version >= '2.26':
            tags = _field(inst, 'tags', None)
            server['tags'] = [t.tag for t in tags] if tags else []
        if version >= '2.63':
            server['trusted_image_certificates'] = self._trusted_certs(inst)
        if version >= '2.71' and page.show_only:
            server['server_groups'] = page.server_groups(inst)
        if version >= '2.73':
            sysmeta = _field(inst, 'system_metadata', {}) or {}
            server['locked_reason'] = sysmeta.get('locked_reason') if inst.locked else None
        return server

    def _show_partial(self, req, inst, page):
        """A server of a cell that does not answer (2.69): what the API DB knows.

        A listing knows only the instance mapping; a single server also has
        its request spec (flavor, image, zone, user).
        """
        server = {
            'id': inst.uuid,
            'status': 'UNKNOWN',
            'tenant_id': inst.project_id,
            'created': _isotime(inst.created_at),
            'links': self._get_links(req, inst.uuid),
        }
        if not inst.obj_attr_is_set('flavor'):
            return server
        safe = _safe(inst)
        server.update({
            'image': self._image(req, safe),
            'flavor': self._flavor(req, safe, page),
            'OS-EXT-AZ:availability_zone': inst.availability_zone or 'UNKNOWN',
            'OS-EXT-STS:power_state': inst.power_state,
            'user_id': inst.user_id or 'UNKNOWN',
        })
        if req.api_version_request >= '2.71' and page.show_only:
            server['server_groups'] = page.server_groups(inst)
        return server

    def _add_extensions(self, req, inst, page, server):
        """The attributes that began as API extensions (key name, AZ, states...)."""
        version = req.api_version_request
        server.update({
            'key_name': inst.key_name,
            'config_drive': inst.config_drive or '',
            'OS-EXT-AZ:availability_zone': inst.availability_zone or '',
            'OS-EXT-STS:task_state': inst.task_state,
            'OS-EXT-STS:vm_state': inst.vm_state,
            'OS-EXT-STS:power_state': inst.power_state or 0,
            'OS-SRV-USG:launched_at': _usage_time(inst.launched_at),
            'OS-SRV-USG:terminated_at': _usage_time(inst.terminated_at),
            'os-extended-volumes:volumes_attached': self._volumes(inst, page, version),
        })
        names = page.security_group_names(inst)
        if names:
            server['security_groups'] = [{'name': name} for name in names]
        if page.extended:
            server['OS-EXT-SRV-ATTR:host'] = inst.host
            server['OS-EXT-SRV-ATTR:hypervisor_hostname'] = inst.node
            server['OS-EXT-SRV-ATTR:instance_name'] = inst.name
            if version >= '2.3':
                server.update({
                    'OS-EXT-SRV-ATTR:reservation_id': inst.reservation_id,
                    'OS-EXT-SRV-ATTR:launch_index': inst.launch_index,
                    'OS-EXT-SRV-ATTR:kernel_id': inst.kernel_id,
                    'OS-EXT-SRV-ATTR:ramdisk_id': inst.ramdisk_id,
                    'OS-EXT-SRV-ATTR:hostname': inst.hostname,
                    'OS-EXT-SRV-ATTR:root_device_name': inst.root_device_name,
                    'OS-EXT-SRV-ATTR:user_data': inst.user_data,
                })
        if version >= '2.90':
            # The guest hostname is the user's own business from 2.90 on.
            server['OS-EXT-SRV-ATTR:hostname'] = inst.hostname
        if version >= '2.16':
            host_status = page.host_status(inst)
            if host_status is not None:
                server['host_status'] = host_status
        if version >= '2.96':
            spec = page.request_spec(inst)
            server['pinned_availability_zone'] = (
                spec.availability_zone if spec is not None
                and spec.obj_attr_is_set('availability_zone') else None)
        if version >= '2.100':
            spec = page.request_spec(inst)
            hints = {}
            if spec is not None and spec.obj_attr_is_set('scheduler_hints'):
                hints = dict(spec.scheduler_hints or {})
            server['scheduler_hints'] = hints

    # --- pieces ---------------------------------------------------------------

    def _image(self, req, inst):
        if not inst.image_ref:
            return ''  # booted from volume
        image = {
            'id': inst.image_ref,
            'links': [{
                'rel': 'bookmark',
                'href': self._update_glance_link_prefix(
                    '%s/images/%s' % (self._bookmark_base(req), inst.image_ref)),
            }],
        }
        if req.api_version_request >= '2.98':
            sysmeta = _field(inst, 'system_metadata', {}) or {}
            image['properties'] = {
                key[len('image_'):]: value for key, value in sysmeta.items()
                if key.startswith('image_') and key[len('image_'):] not in _IMAGE_BASE_KEYS}
        return image

    def _flavor(self, req, inst, page):
        flavor = _field(inst, 'flavor', None)
        if req.api_version_request < '2.47':
            flavor_id = flavor.flavorid if flavor is not None else ''
            return {
                'id': flavor_id,
                'links': [{
                    'rel': 'bookmark',
                    'href': '%s/flavors/%s' % (self._bookmark_base(req), flavor_id),
                }],
            }
        if flavor is None:
            return {}
        body = {
            'vcpus': flavor.vcpus,
            'ram': flavor.memory_mb,
            'disk': flavor.root_gb,
            'ephemeral': flavor.ephemeral_gb,
            'swap': flavor.swap,
            'original_name': flavor.name,
        }
        if page.flavor_extra_specs:
            body['extra_specs'] = dict(flavor.extra_specs or {}) \
                if flavor.obj_attr_is_set('extra_specs') else {}
        return body

    @staticmethod
    def _addresses(inst):
        """{network label: [{version, addr, OS-EXT-IPS:type, OS-EXT-IPS-MAC:mac_addr}]}."""
        cache = _field(inst, 'info_cache', None)
        if cache is None or not cache.obj_attr_is_set('network_info'):
            return {}
        result = {}
        for vif in cache.network_info or []:
            network = vif.get('network') or {}
            label = network.get('label')
            if label is None:
                continue
            entries = result.setdefault(label, [])
            for subnet in network.get('subnets') or []:
                for ip in subnet.get('ips') or []:
                    entries.append(_address(ip, 'fixed', vif))
                    for floating in ip.get('floating_ips') or []:
                        entries.append(_address(floating, 'floating', vif))
        return result

    @staticmethod
    def _volumes(inst, page, version):
        volumes = []
        for bdm in page.bdms(inst):
            if not bdm.obj_attr_is_set('volume_id') or not bdm.volume_id:
                continue
            entry = {'id': bdm.volume_id}
            if version >= '2.3':
                entry['delete_on_termination'] = bool(bdm.delete_on_termination)
            volumes.append(entry)
        return volumes

    @staticmethod
    def _fault(inst, page):
        fault = _field(inst, 'fault', None)
        if fault is None:
            return None
        body = {
            'code': fault.code,
            'created': _isotime(fault.created_at),
            'message': fault.message,
        }
        if fault.details and (page.is_admin or fault.code != 500):
            body['details'] = fault.details
        return body

    @staticmethod
    def _trusted_certs(inst):
        if 'trusted_certs' not in inst.fields:
            return None
        certs = _field(inst, 'trusted_certs', None)
        if certs is None:
            return None
        return list(getattr(certs, 'ids', certs) or []) or None


def _address(ip, kind, vif):
    address = ip.get('address')
    version = ip.get('version')
    if version is None and address:
        version = 6 if ':' in address else 4
    return {
        'version': version,
        'addr': address,
        'OS-EXT-IPS:type': ip.get('type') or kind,
        'OS-EXT-IPS-MAC:mac_addr': vif.get('address'),
    }


class _PageData(object):
    """Look-ups shared by every server of one response, each done at most once."""

    def __init__(self, context, req, instances, show_only):
        self.context = context
        self.version = req.api_version_request
        self.instances = instances
        self.show_only = show_only
        self.is_admin = bool(context.is_admin)
        self.extended = context.can(EXTENDED_ATTRS_POLICY, fatal=False)
        self.flavor_extra_specs = (self.version >= '2.47' and
                                   context.can(FLAVOR_EXTRA_SPECS_POLICY, fatal=False))
        self._bdms = None
        self._specs = None
        self._services = {}
        self._host_status_full = None
        self._host_status_unknown = None
        self._port_groups = None

    def _by_cell(self, instances):
        """{cell uuid: (context aimed at it, [instances])} of the rows read from
        cells: a page may hold servers of several cells, and what is kept beside
        them (their volumes, their hosts' services) is in their own cell."""
        groups = {}
        for inst in instances:
            if not inst.obj_attr_is_set('id'):
                continue  # a build request: nothing in any cell yet
            cctxt = getattr(inst, '_context', None)
            cell_uuid = getattr(cctxt, 'cell_uuid', None)
            if cell_uuid is None:
                cctxt = self.context
            groups.setdefault(cell_uuid, (cctxt, []))[1].append(inst)
        return groups

    def bdms(self, inst):
        if self._bdms is None:
            self._bdms = {}
            for cctxt, members in self._by_cell(self.instances).values():
                try:
                    self._bdms.update(objects.BlockDeviceMappingList.bdms_by_instance_uuid(
                        cctxt, [i.uuid for i in members]))
                except Exception:
                    LOG.debug('Could not read block device mappings', exc_info=True)
        found = self._bdms.get(inst.uuid)
        return list(found.objects) if found is not None else []

    def request_spec(self, inst):
        """The server's request spec or None; the whole page's are read in one query."""
        if self._specs is None:
            self._specs = {}
            try:
                self._specs = objects.RequestSpec.get_by_instance_uuids(
                    self.context, [i.uuid for i in self.instances])
            except Exception:
                LOG.debug('Could not read request specs', exc_info=True)
        return self._specs.get(inst.uuid)

    def security_group_names(self, inst):
        """The names of the groups of the server's ports as Neutron has them now
        (the page's ports and groups read in two requests per 100 servers); the
        names recorded at boot for a server without ports or without Neutron."""
        groups = _field(inst, 'security_groups', None)
        recorded = [g.name for g in groups] if groups else []
        if not network_neutron.is_enabled():
            return recorded
        if self._port_groups is None:
            self._port_groups = self._read_port_groups()
        return self._port_groups.get(inst.uuid) or recorded

    def _read_port_groups(self):
        uuids = [i.uuid for i in self.instances if _field(i, 'host', None)]
        found = {}
        try:
            client = neutron_client.get_client(self.context)
            for start in range(0, len(uuids), 100):
                ports = client.list_ports(device_id=uuids[start:start + 100],
                                          fields=['device_id', 'security_groups'])
                ids = sorted({g for p in ports for g in p.get('security_groups') or []})
                names = {g['id']: g.get('name') or g['id'] for g in
                         client.list_security_groups(id=ids, fields=['id', 'name'])} \
                    if ids else {}
                for port in ports:
                    listed = found.setdefault(port['device_id'], [])
                    for group_id in port.get('security_groups') or []:
                        name = names.get(group_id)
                        if name and name not in listed:
                            listed.append(name)
        except Exception as exc:
            LOG.debug('Security groups of the servers not read from Neutron: %s', exc)
        return found

    def server_groups(self, inst):
        try:
            group = objects.InstanceGroup.get_by_instance_uuid(self.context, inst.uuid)
        except exception.NotFound:
            return []
        except Exception:
            LOG.debug('Could not read server group of %s', inst.uuid, exc_info=True)
            return []
        return [group.uuid]

    def host_status(self, inst):
        """UP/DOWN/MAINTENANCE/UNKNOWN or '' (no host), or None if policy hides it."""
        if self._host_status_full is None:
            self._host_status_full = self.context.can(HOST_STATUS_POLICY, fatal=False)
            self._host_status_unknown = self.context.can(HOST_STATUS_UNKNOWN_ONLY_POLICY,
                                                         fatal=False)
        if not (self._host_status_full or self._host_status_unknown):
            return None
        status = self._compute_host_status(inst)
        if not self._host_status_full and status != 'UNKNOWN':
            return None
        return status

    def _compute_host_status(self, inst):
        host = inst.host
        if not host:
            return ''
        if host not in self._services:
            self._load_host_statuses(inst)
        return self._services[host]

    def _load_host_statuses(self, inst):
        """Statuses of every host of the page (and ``inst``'s), one service query per
        cell (a host's service record is in the cell of its servers)."""
        from nova import servicegroup
        wanted = [i for i in self.instances if i.obj_attr_is_set('host') and i.host and
                  i.host not in self._services]
        if inst not in wanted:
            wanted.append(inst)
        hosts = {i.host for i in wanted}
        services = {}
        for cctxt, members in self._by_cell(wanted).values():
            try:
                services.update(objects.ServiceList.get_by_compute_hosts(
                    cctxt, {i.host for i in members}))
            except Exception:
                LOG.debug('Could not read compute services', exc_info=True)
        group_api = servicegroup.API()
        for name in hosts:
            service = services.get(name)
            if service is None:
                status = 'UNKNOWN'
            elif service.forced_down:
                status = 'DOWN'
            elif group_api.service_is_up(service):
                status = 'MAINTENANCE' if service.disabled else 'UP'
            else:
                status = 'UNKNOWN'
            self._services[name] = status
