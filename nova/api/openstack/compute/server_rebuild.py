"""The rebuild server action: the server made again from an image (202 with its body)."""

import base64
import binascii

import webob.exc

import nova.conf
from nova.api.openstack import common
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_rebuild as schema
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.views import servers as views_servers
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

CONF = nova.conf.CONF

_POLICY = 'os_compute_api:servers:%s'
# What the body's keys set on the instance, as the compute API names them.
_FIELDS = (('name', 'display_name'), ('description', 'display_description'),
           ('metadata', 'metadata'), ('accessIPv4', 'access_ip_v4'),
           ('accessIPv6', 'access_ip_v6'), ('hostname', 'hostname'))
_VIEW_ATTRS = ['flavor', 'info_cache', 'metadata', 'system_metadata', 'security_groups',
               'tags', 'trusted_certs', 'keypairs']


def injected_files(personality):
    """(path, contents) pairs of the personality files (up to 2.56)."""
    files = []
    for item in personality or []:
        try:
            contents = base64.b64decode(item['contents'])
        except (binascii.Error, ValueError, TypeError, KeyError):
            raise webob.exc.HTTPBadRequest(explanation=(
                'Personality content for %s cannot be decoded' % item.get('path')))
        files.append((item['path'], contents.decode('utf-8', 'replace')))
    return files


class ServerRebuildController(action_base.ServerActionController):

    _view_builder_class = views_servers.ViewBuilder

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('rebuild')
    @validation.schema(schema.rebuild_v20, '2.0', '2.0')
    @validation.schema(schema.rebuild, '2.1', '2.18')
    @validation.schema(schema.rebuild_v219, '2.19', '2.53')
    @validation.schema(schema.rebuild_v254, '2.54', '2.56')
    @validation.schema(schema.rebuild_v257, '2.57', '2.62')
    @validation.schema(schema.rebuild_v263, '2.63', '2.89')
    @validation.schema(schema.rebuild_v290, '2.90', '2.93')
    @validation.schema(schema.rebuild_v294, '2.94')
    def _action_rebuild(self, req, id, body):
        context = req.environ['nova.context']
        version = req.api_version_request
        entity = body['rebuild']
        instance = self._get_instance(context, id, expected_attrs=_VIEW_ATTRS)
        target = {'user_id': instance.user_id, 'project_id': instance.project_id}
        context.can(_POLICY % 'rebuild', target=target)
        kwargs = {dest: entity[key] for key, dest in _FIELDS if key in entity}
        for key in ('access_ip_v4', 'access_ip_v6'):
            if key in kwargs:
                kwargs[key] = kwargs[key] or None
        if 'OS-DCF:diskConfig' in entity:
            kwargs['auto_disk_config'] = entity['OS-DCF:diskConfig'] == 'AUTO'
        if 'key_name' in entity:
            kwargs['key_name'] = entity['key_name']
        if 'user_data' in entity:
            kwargs['user_data'] = entity['user_data']
        if 'trusted_image_certificates' in entity:
            if entity['trusted_image_certificates']:
                context.can(_POLICY % 'rebuild:trusted_certs', target=target)
            kwargs['trusted_certs'] = entity['trusted_image_certificates']
        password = entity.get('adminPass') or servers.generate_password()
        files = injected_files(entity.get('personality'))
        try:
            self.compute_api.rebuild(
                context, instance, entity['imageRef'], password, files_to_inject=files,
                preserve_ephemeral=entity.get('preserve_ephemeral', False), **kwargs)
        except exception.InstanceIsLocked as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, 'rebuild', id)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation='Instance could not be found')
        except exception.ImageNotFound:
            raise webob.exc.HTTPBadRequest(explanation='Cannot find image for rebuild')
        except exception.KeypairNotFound:
            raise webob.exc.HTTPBadRequest(explanation='Invalid key_name provided.')
        except (exception.QuotaError, exception.OnsetFileLimitExceeded) as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except (exception.Invalid, exception.ImageNotActive) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        view = self._view_builder.show(req, instance, server_groups=version >= '2.71',
                                       minimal=version < '2.75')
        # The key pair (2.54) and user data (2.57) the rebuild may have changed.
        if version >= '2.54':
            view['server'].setdefault('key_name', instance.key_name)
        if version >= '2.57':
            # Under its own name only: the body shows no OS-EXT-SRV-ATTR:user_data.
            view['server'].pop('OS-EXT-SRV-ATTR:user_data', None)
            view['server'].setdefault('user_data', instance.user_data)
        if CONF.api.enable_instance_password:
            view['server']['adminPass'] = password
        response = wsgi.ResponseObject(view)
        response['Location'] = self._view_builder._get_href_link(req, instance.uuid)
        return response

