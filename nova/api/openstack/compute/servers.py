"""``/servers``: boot, list, show, rename and delete servers.

The controller validates and translates the request (schemas per
microversion, policy, query filters) and leaves the business logic to
``nova.compute.api.API``; domain errors come back as upstream's 4xx faults.
"""

import base64
import binascii
import secrets

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

import nova.conf
from nova.api.openstack import common
from nova.api.openstack.compute.schemas import servers as schema
from nova.api.openstack.compute import server_rebuild
from nova.api.openstack.compute.views import servers as views_servers
from nova.api.openstack import wsgi
from nova.api import validation
from nova import block_device
from nova.compute import api as compute_api
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_POLICY = 'os_compute_api:servers:%s'

# Characters of generated admin passwords: no look-alikes (0/O, 1/l/I).
_PASSWORD_SYMBOLS = ('23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz')

# Filters a project user may use; every other query parameter is dropped
# unless policy allows all filters (administrators by default).
_USER_FILTERS = ('reservation_id', 'name', 'status', 'image', 'flavor', 'ip',
                 'changes-since', 'all_tenants', 'ip6')
_USER_FILTERS_V226 = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
_USER_FILTERS_V266 = ('changes-before',)
_USER_FILTERS_V273 = ('locked',)
_USER_FILTERS_V283 = ('availability_zone', 'config_drive', 'key_name', 'created_at',
                      'launched_at', 'terminated_at', 'power_state', 'task_state',
                      'vm_state', 'progress', 'user_id')

_VALID_SORT_KEYS = (
    'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone',
    'config_drive', 'created_at', 'display_description', 'display_name', 'host',
    'hostname', 'image_ref', 'instance_type_id', 'kernel_id', 'key_name',
    'launch_index', 'launched_at', 'locked', 'locked_by', 'node', 'power_state',
    'progress', 'project_id', 'ramdisk_id', 'root_device_name', 'task_state',
    'terminated_at', 'updated_at', 'user_id', 'uuid', 'vm_state')
# Accepted for compatibility but not sortable any more: silently ignored.
_IGNORED_SORT_KEYS = ('architecture', 'cell_name', 'cleaned', 'default_ephemeral_device',
                      'default_swap_device', 'deleted', 'deleted_at', 'disable_terminate',
                      'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data',
                      'launched_on', 'locked', 'memory_mb', 'os_type', 'reservation_id',
                      'root_gb', 'shutdown_terminate', 'user_data', 'vcpus', 'vm_mode')
_ADMIN_ONLY_SORT_KEYS = ('host', 'node')


def generate_password(length=12):
    return ''.join(secrets.choice(_PASSWORD_SYMBOLS) for _ in range(length))


def _bool(value, name):
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation=(
            "Invalid input for field/attribute %s. Value: %s. %r is not a valid "
            "boolean" % (name, value, value)))


class ServersController(wsgi.Controller):

    _view_builder_class = views_servers.ViewBuilder

    @property
    def compute_api(self):
        return compute_api.get()

    # --- list -------------------------------------------------------------------

    @validation.query_schema(schema.query_params_v273, '2.73')
    @validation.query_schema(schema.query_params_v266, '2.66', '2.72')
    @validation.query_schema(schema.query_params_v226, '2.26', '2.65')
    @validation.query_schema(schema.query_params, '2.0', '2.25')
    @wsgi.expected_errors((400, 403))
    def index(self, req):
        context = req.environ['nova.context']
        context.can(_POLICY % 'index', target={'project_id': context.project_id})
        return self._get_servers(req, is_detail=False)

    @validation.query_schema(schema.query_params_v273, '2.73')
    @validation.query_schema(schema.query_params_v266, '2.66', '2.72')
    @validation.query_schema(schema.query_params_v226, '2.26', '2.65')
    @validation.query_schema(schema.query_params, '2.0', '2.25')
    @wsgi.expected_errors((400, 403))
    def detail(self, req):
        context = req.environ['nova.context']
        context.can(_POLICY % 'detail', target={'project_id': context.project_id})
        return self._get_servers(req, is_detail=True)

    def _allowed_filters(self, req):
        version = req.api_version_request
        allowed = list(_USER_FILTERS)
        if version >= '2.26':
            allowed += _USER_FILTERS_V226
        if version >= '2.66':
            allowed += _USER_FILTERS_V266
        if version >= '2.73':
            allowed += _USER_FILTERS_V273
        if version >= '2.83':
            allowed += _USER_FILTERS_V283
        return allowed

    def _search_opts(self, req, is_detail):
        """Upstream's search options from the query string; None if nothing can match."""
        context = req.environ['nova.context']
        version = req.api_version_request
        known = self._known_filters(version)
        opts = {}
        for key in req.GET.keys():
            if key in ('limit', 'marker', 'sort_key', 'sort_dir') or key not in known:
                continue
            values = req.GET.getall(key)
            opts[key] = values[-1] if key != 'status' else values
        if not context.can(_POLICY % 'allow_all_filters', fatal=False):
            allowed = self._allowed_filters(req)
            opts = {k: v for k, v in opts.items() if k in allowed}

        statuses = opts.pop('status', None)
        if statuses:
            vm_states, task_states = set(), set()
            for status in statuses:
                states = views_servers.states_for_status(status)
                if status.upper() == 'DELETED' or status.upper() == 'SOFT_DELETED':
                    # Deleted servers are only listed for administrators.
                    if not context.is_admin and status.upper() == 'DELETED':
                        raise webob.exc.HTTPForbidden(
                            explanation='Only administrators may list deleted instances')
                for vm_state, tasks in states.items():
                    vm_states.add(vm_state)
                    task_states.update(t for t in tasks if t is not None)
                    if None in tasks:
                        task_states.add('default')
            if not vm_states:
                return None  # an unknown status matches nothing
            opts['vm_state'] = sorted(vm_states)
            # A task-state filter only narrows statuses that are a task (REBOOT...).
            if 'default' not in task_states:
                opts['task_state'] = sorted(task_states)

        for key in ('changes-since', 'changes-before'):
            if key in opts:
                opts[key] = common.parse_date_time(opts[key], key)
        common.check_changes_window(opts.get('changes-since'), opts.get('changes-before'))

        if 'deleted' in opts:
            opts['deleted'] = _bool(opts['deleted'], 'deleted')
        elif 'changes-since' not in opts and 'changes-before' not in opts:
            # Without a time window only live servers are listed.
            opts['deleted'] = False
        if 'soft_deleted' in opts:
            opts['soft_deleted'] = _bool(opts['soft_deleted'], 'soft_deleted')
        if 'locked' in opts:
            opts['locked'] = _bool(opts['locked'], 'locked')
        for key in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
            if key in opts:
                opts[key] = [t.strip() for t in opts[key].split(',') if t.strip()]

        all_tenants = opts.pop('all_tenants', None)
        if all_tenants is not None:
            all_tenants = True if all_tenants == '' else _bool(all_tenants, 'all_tenants')
        if 'tenant_id' in opts and 'project_id' not in opts:
            opts['project_id'] = opts.pop('tenant_id')
        else:
            opts.pop('tenant_id', None)
        if all_tenants:
            context.can(_POLICY % ('detail:get_all_tenants' if is_detail
                                   else 'index:get_all_tenants'),
                        target={'project_id': context.project_id})
            opts['all_tenants'] = True
        else:
            if context.project_id:
                opts['project_id'] = context.project_id
            else:
                opts['user_id'] = context.user_id
        return opts

    @staticmethod
    def _known_filters(version):
        if version >= '2.73':
            return schema.query_params_v273['properties']
        if version >= '2.66':
            return schema.query_params_v266['properties']
        if version >= '2.26':
            return schema.query_params_v226['properties']
        return schema.query_params['properties']

    def _sort_params(self, req):
        context = req.environ['nova.context']
        keys, dirs = common.get_sort_params(req.GET)
        kept_keys, kept_dirs = [], []
        for index, key in enumerate(keys):
            direction = dirs[index] if index < len(dirs) else (dirs[-1] if dirs else 'desc')
            if direction not in ('asc', 'desc'):
                raise webob.exc.HTTPBadRequest(explanation=(
                    "Invalid input for field/attribute sort_dir. Value: %s. %r is not "
                    "one of ['asc', 'desc']" % (direction, direction)))
            if key in _IGNORED_SORT_KEYS and key not in _VALID_SORT_KEYS:
                continue
            if key not in _VALID_SORT_KEYS and key != 'created_at':
                raise webob.exc.HTTPBadRequest(explanation=(
                    "Invalid input for field/attribute sort_key. Value: %s. %r is not "
                    "one of the valid sort keys" % (key, key)))
            if key in _ADMIN_ONLY_SORT_KEYS and not context.is_admin:
                raise webob.exc.HTTPForbidden(explanation=(
                    'Only administrators can sort servers by %s' % key))
            kept_keys.append(key)
            kept_dirs.append(direction)
        if not kept_keys:
            return ['created_at'], ['desc']
        return kept_keys, kept_dirs

    def _get_servers(self, req, is_detail):
        context = req.environ['nova.context']
        version = req.api_version_request
        opts = self._search_opts(req, is_detail)
        limit, marker = common.get_limit_and_marker(req)
        sort_keys, sort_dirs = self._sort_params(req)
        if opts is None:
            return {'servers': []}
        # The index shows only id, name and links: nothing beyond the row to load.
        expected_attrs = self._show_attrs(req) if is_detail else []
        try:
            instances = self.compute_api.get_all(
                context, search_opts=opts, limit=limit, marker=marker,
                expected_attrs=expected_attrs, sort_keys=sort_keys, sort_dirs=sort_dirs,
                cell_down_support=version >= '2.69', records=True)
        except exception.MarkerNotFound:
            raise webob.exc.HTTPBadRequest(explanation='marker [%s] not found' % marker)
        except exception.FlavorNotFound:
            # Filtering on a flavor that does not exist matches nothing.
            return {'servers': []}
        except exception.Invalid as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        if is_detail:
            return self._view_builder.detail(req, instances)
        return self._view_builder.index(req, instances)

    # --- show -------------------------------------------------------------------

    def _get_server(self, context, req, server_id, expected_attrs=None,
                    cell_down_support=False, records=False):
        try:
            return self.compute_api.get(context, server_id, expected_attrs=expected_attrs,
                                        cell_down_support=cell_down_support,
                                        records=records)
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())

    def _show_attrs(self, req):
        """What a full server view reads beyond the row (show and detail alike)."""
        attrs = ['flavor', 'info_cache', 'metadata', 'security_groups', 'fault']
        if req.api_version_request >= '2.26':
            attrs.append('tags')
        if req.api_version_request >= '2.63':
            attrs.append('trusted_certs')
        if req.api_version_request >= '2.73':
            attrs.append('system_metadata')
        return attrs

    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        instance = self._get_server(context, req, id, self._show_attrs(req),
                                    cell_down_support=req.api_version_request >= '2.69',
                                    records=True)
        context.can(_POLICY % 'show', target={'project_id': instance.project_id})
        return self._view_builder.show(req, instance)

    # --- create -----------------------------------------------------------------

    @wsgi.response(202)
    @validation.schema(schema.create_v20, '2.0', '2.0')
    @validation.schema(schema.create, '2.1', '2.18')
    @validation.schema(schema.create_v219, '2.19', '2.31')
    @validation.schema(schema.create_v232, '2.32', '2.36')
    @validation.schema(schema.create_v237, '2.37', '2.41')
    @validation.schema(schema.create_v242, '2.42', '2.51')
    @validation.schema(schema.create_v252, '2.52', '2.56')
    @validation.schema(schema.create_v257, '2.57', '2.62')
    @validation.schema(schema.create_v263, '2.63', '2.66')
    @validation.schema(schema.create_v267, '2.67', '2.73')
    @validation.schema(schema.create_v274, '2.74', '2.89')
    @validation.schema(schema.create_v290, '2.90', '2.93')
    @validation.schema(schema.create_v294, '2.94')
    @wsgi.expected_errors((400, 403, 409, 503))
    def create(self, req, body):
        context = req.environ['nova.context']
        version = req.api_version_request
        server = body['server']
        target = {'project_id': context.project_id, 'user_id': context.user_id}
        context.can(_POLICY % 'create', target=target)

        kwargs = {
            'availability_zone': server.get('availability_zone'),
            'metadata': server.get('metadata', {}),
            'key_name': server.get('key_name'),
            'access_ip_v4': server.get('accessIPv4'),
            'access_ip_v6': server.get('accessIPv6'),
            'scheduler_hints': (body.get('os:scheduler_hints') or
                                body.get('OS-SCH-HNT:scheduler_hints') or {}),
        }
        self._parse_counts(server, kwargs)
        self._parse_user_data(server, kwargs)
        if server.get('personality'):
            kwargs['injected_files'] = server_rebuild.injected_files(server['personality'])
        self._parse_networks(context, req, server, kwargs)
        self._parse_block_devices(context, server, kwargs)
        self._parse_availability_zone(context, kwargs)
        if 'config_drive' in server:
            kwargs['config_drive'] = strutils.bool_from_string(server['config_drive'])
        if 'security_groups' in server:
            names = []
            for group in server['security_groups']:
                name = group.get('name')
                if name and name not in names:
                    names.append(name)
            kwargs['security_groups'] = names
        if version >= '2.19':
            kwargs['description'] = server.get('description')
        if version >= '2.52' and 'tags' in server:
            kwargs['tags'] = server['tags']
        if version >= '2.63' and server.get('trusted_image_certificates'):
            context.can(_POLICY % 'create:trusted_certs', target=target)
            kwargs['trusted_certs'] = server['trusted_image_certificates']
        if version >= '2.74':
            self._parse_requested_destination(context, server, kwargs)
        if version >= '2.90' and 'hostname' in server:
            kwargs['hostname'] = server['hostname']
        if version >= '2.60':
            kwargs['supports_multiattach'] = True
        # OS-DCF:diskConfig is accepted and has no effect: no driver here resizes a
        # guest's partitions.

        password = None
        if CONF.api.enable_instance_password:
            password = server.get('adminPass') or generate_password()
            kwargs['admin_password'] = password
        elif server.get('adminPass'):
            kwargs['admin_password'] = server['adminPass']
        if 'return_reservation_id' in server:
            kwargs['return_reservation_id'] = strutils.bool_from_string(
                server['return_reservation_id'])

        flavor = self._get_flavor(context, server['flavorRef'])
        image_href = self._image_ref(server, kwargs)
        instances, reservation_id = self._call_create(
            context, flavor, image_href, server['name'], kwargs)

        if kwargs.get('return_reservation_id'):
            return wsgi.ResponseObject({'reservation_id': reservation_id})
        result = self._view_builder.create(req, instances[0])
        if password is not None:
            result['server']['adminPass'] = password
        result['server']['security_groups'] = [
            {'name': name} for name in kwargs.get('security_groups') or ['default']]
        if 'OS-DCF:diskConfig' in server:
            result['server']['OS-DCF:diskConfig'] = server['OS-DCF:diskConfig']
        response = wsgi.ResponseObject(result)
        response['Location'] = self._view_builder._get_href_link(req, instances[0].uuid)
        return response

    @staticmethod
    def _parse_counts(server, kwargs):
        min_count = int(server.get('min_count', 1))
        max_count = int(server.get('max_count', min_count))
        if min_count > max_count:
            raise webob.exc.HTTPBadRequest(explanation='min_count must be <= max_count')
        kwargs['min_count'] = min_count
        kwargs['max_count'] = max_count

    @staticmethod
    def _parse_user_data(server, kwargs):
        user_data = server.get('user_data')
        if user_data is None:
            return
        try:
            base64.b64decode(user_data, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise webob.exc.HTTPBadRequest(explanation=(
                "Invalid input for field/attribute user_data. Value: %s. %r is not "
                "a 'base64'" % (user_data, user_data)))
        kwargs['user_data'] = user_data

    @staticmethod
    def _parse_networks(context, req, server, kwargs):
        """'none', 'auto' or a list of {uuid|port|fixed_ip[, tag]} dicts."""
        if 'networks' not in server:
            return
        networks = server['networks']
        if isinstance(networks, str):
            kwargs['requested_networks'] = networks
            return
        target = {'project_id': context.project_id, 'user_id': context.user_id}
        context.can(_POLICY % 'create:attach_network', target=target)
        requested = []
        for network in networks:
            entry = {}
            port = network.get('port')
            net_id = network.get('uuid')
            if port:
                entry['port'] = port
            elif not net_id:
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Bad network format: missing uuid or port'))
            if net_id:
                if not uuidutils.is_uuid_like(net_id):
                    raise webob.exc.HTTPBadRequest(explanation=(
                        'Bad networks format: network uuid is not in proper format (%s)'
                        % net_id))
                entry['uuid'] = net_id
            if network.get('fixed_ip'):
                if port:
                    raise webob.exc.HTTPBadRequest(explanation=(
                        'Specified Fixed IP \'%s\' cannot be used with port \'%s\': '
                        'the two cannot be specified together.'
                        % (network['fixed_ip'], port)))
                entry['fixed_ip'] = network['fixed_ip']
            if network.get('tag'):
                entry['tag'] = network['tag']
            if port and any(r.get('port') == port for r in requested):
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Duplicate networks (%s) are not allowed' % port))
            requested.append(entry)
        kwargs['requested_networks'] = requested

    @staticmethod
    def _parse_block_devices(context, server, kwargs):
        bdms = server.get('block_device_mapping_v2') or server.get('block_device_mapping')
        if server.get('block_device_mapping_v2') and server.get('block_device_mapping'):
            raise webob.exc.HTTPBadRequest(explanation=(
                'Using different block_device_mapping syntaxes is not allowed in the '
                'same request.'))
        if bdms:
            context.can(_POLICY % 'create:attach_volume',
                        target={'project_id': context.project_id,
                                'user_id': context.user_id})
            try:
                kwargs['block_device_mapping'] = block_device.normalize(
                    bdms, legacy='block_device_mapping_v2' not in server,
                    image_ref=server.get('imageRef'))
            except exception.InvalidBDM as error:
                raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    @staticmethod
    def _parse_availability_zone(context, kwargs):
        zone = kwargs.get('availability_zone')
        if zone and ':' in zone:
            # "zone:host[:node]" forces a destination: administrators only.
            context.can(_POLICY % 'create:forced_host',
                        target={'project_id': context.project_id,
                                'user_id': context.user_id})

    @staticmethod
    def _parse_requested_destination(context, server, kwargs):
        """``host``/``hypervisor_hostname`` (2.74): administrators only by default,
        and not together with the older ``zone:host:node`` availability zone."""
        host = server.get('host')
        node = server.get('hypervisor_hostname')
        if not (host or node):
            return
        context.can('compute:servers:create:requested_destination',
                    target={'project_id': context.project_id, 'user_id': context.user_id})
        if any((kwargs.get('availability_zone') or '').split(':')[1:]):
            raise webob.exc.HTTPBadRequest(explanation=(
                'A host and/or hypervisor_hostname cannot be requested together with a '
                'zone:host:node availability zone: use one mechanism or the other.'))
        kwargs['requested_host'] = host
        kwargs['requested_hypervisor_hostname'] = node

    @staticmethod
    def _image_ref(server, kwargs):
        image_href = server.get('imageRef')
        if not image_href and kwargs.get('block_device_mapping'):
            return ''
        image_id = common.get_id_from_href(str(image_href)) if image_href else ''
        if not uuidutils.is_uuid_like(image_id):
            raise webob.exc.HTTPBadRequest(explanation='Invalid imageRef provided.')
        return image_id

    @staticmethod
    def _get_flavor(context, flavor_ref):
        flavor_id = common.get_id_from_href(str(flavor_ref))
        try:
            return objects.Flavor.get_by_flavor_id(context, flavor_id, read_deleted='no')
        except exception.FlavorNotFound as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    def _call_create(self, context, flavor, image_href, name, kwargs):
        try:
            return self.compute_api.create(context, flavor, image_href, name, **kwargs)
        except (exception.PortLimitExceeded, exception.OnsetFileLimitExceeded) as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except (exception.TooManyInstances, exception.OverQuota, exception.QuotaError) as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message(),
                                          headers={'Retry-After': '0'})
        except exception.KeypairNotFound:
            raise webob.exc.HTTPBadRequest(explanation='Invalid key_name provided.')
        except (exception.ImageNotFound, exception.FlavorNotFound,
                exception.ImageNotActive, exception.ImageUnacceptable) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except (exception.NetworkNotFound, exception.ImageBadRequest,
                exception.ImageNotAuthorized, exception.InstanceGroupNotFound,
                exception.ComputeHostNotFound, exception.BuildRequestAlreadyExists) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except (exception.InstanceExists, exception.PortInUse, exception.NetworkAmbiguous,
                exception.NoUniqueMatch) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.FixedIpAlreadyInUse as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except (exception.NeutronConnectionFailed, exception.NeutronClientError) as error:
            # The network service is down or failing: not the client's fault,
            # and nothing has been recorded yet.
            LOG.warning('Server create refused, the network service failed: %s', error)
            raise webob.exc.HTTPServiceUnavailable(explanation=(
                'The networking service is unavailable; try again later.'))
        except exception.CinderConnectionFailed as error:
            LOG.warning('Server create refused, the block storage service failed: %s', error)
            raise webob.exc.HTTPServiceUnavailable(explanation=(
                'The block storage service is unavailable; try again later.'))
        except exception.Invalid as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except exception.NotFound as error:
            # Anything the request named that does not exist is the client's error.
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    # --- update -----------------------------------------------------------------

    @validation.schema(schema.update_v20, '2.0', '2.0')
    @validation.schema(schema.update, '2.1', '2.18')
    @validation.schema(schema.update_v219, '2.19', '2.89')
    @validation.schema(schema.update_v290, '2.90', '2.93')
    @validation.schema(schema.update_v294, '2.94', '2.103')
    @validation.schema(schema.update_v2104, '2.104')
    @wsgi.expected_errors((400, 404, 409))
    def update(self, req, id, body):
        context = req.environ['nova.context']
        version = req.api_version_request
        instance = self._get_server(context, req, id, self._show_attrs(req))
        context.can(_POLICY % 'update', target={'user_id': instance.user_id,
                                                'project_id': instance.project_id})
        server = body['server']
        updates = {}
        if 'name' in server:
            updates['display_name'] = server['name']
        if 'description' in server:
            updates['display_description'] = server['description']
        if 'accessIPv4' in server:
            updates['access_ip_v4'] = server['accessIPv4'] or None
        if 'accessIPv6' in server:
            updates['access_ip_v6'] = server['accessIPv6'] or None
        if 'OS-DCF:diskConfig' in server:
            updates['auto_disk_config'] = server['OS-DCF:diskConfig'] == 'AUTO'
        if 'hostname' in server:
            updates['hostname'] = server['hostname']
        if 'pinned_availability_zone' in server:
            self._pin_availability_zone(context, instance, server['pinned_availability_zone'])
        if updates:
            try:
                if instance.obj_attr_is_set('id'):
                    for key, value in updates.items():
                        setattr(instance, key, value)
                    instance.save()
                else:
                    raise webob.exc.HTTPConflict(explanation=(
                        'Cannot update instance %s while it is being built' % id))
            except exception.InstanceNotFound as error:
                raise webob.exc.HTTPNotFound(explanation=error.format_message())
        # Before 2.75 PUT answered with a slimmer body than GET.
        return self._view_builder.show(req, instance, server_groups=version >= '2.71',
                                       minimal=version < '2.75')

    @staticmethod
    def _pin_availability_zone(context, instance, zone):
        """Unpin (None) or pin the server to the zone it is in now (2.104)."""
        current = instance.availability_zone if instance.obj_attr_is_set(
            'availability_zone') else None
        if zone is not None and zone != current:
            raise webob.exc.HTTPBadRequest(explanation=(
                'A server can only be pinned to the availability zone it is in (%s).'
                % current))
        try:
            spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        except exception.NotFound as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        spec.availability_zone = zone
        spec.save()

    # --- delete -----------------------------------------------------------------

    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete(self, req, id):
        context = req.environ['nova.context']
        instance = self._get_server(context, req, id)
        context.can(_POLICY % 'delete', target={'user_id': instance.user_id,
                                                'project_id': instance.project_id})
        try:
            self.compute_api.delete(context, instance)
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.InstanceIsLocked as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, 'delete', id)
