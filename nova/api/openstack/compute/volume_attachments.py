"""``/servers/{id}/os-volume_attachments``: the volumes a server has attached.

Listing and showing read the server's block device mappings only, so they
answer without Cinder: a server without volumes lists
``{"volumeAttachments": []}`` and any volume id shows 404.  Attaching
(POST) and detaching (DELETE) go through Cinder and the server's host; PUT
updates ``delete_on_termination`` from 2.85, or, with another volume id (an
administrator's, or Cinder migrating the volume), swaps the server's disk
onto that volume.
"""

import contextlib

from oslo_utils import strutils
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import volume_attachments as schema
from nova.api.openstack.compute.views import volume_attachments as views
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import exception
from nova import objects

_POLICY = 'os_compute_api:os-volumes-attachments:%s'


class VolumeAttachmentController(wsgi.Controller):

    def _server(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        # A server still being scheduled has no cell yet, hence no mappings stored.
        cell_context = instance._context or context if instance.obj_attr_is_set('id') else None
        return instance, cell_context

    @wsgi.expected_errors((400, 404))
    def index(self, req, server_id):
        instance, cell_context = self._server(req, server_id, 'index')
        bdms = []
        if cell_context is not None:
            bdms = objects.BlockDeviceMappingList.get_by_instance_uuid(
                cell_context, instance.uuid).objects
        page = common.limited(list(bdms), req)
        version = req.api_version_request
        return {'volumeAttachments': [views.attachment(bdm, version)
                                      for bdm in page if bdm.volume_id]}

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        instance, cell_context = self._server(req, server_id, 'show')
        not_attached = webob.exc.HTTPNotFound(explanation=(
            'Instance %s is not attached.' % server_id))
        if cell_context is None:
            raise not_attached
        try:
            bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(
                cell_context, id, instance.uuid)
        except exception.VolumeBDMNotFound:
            raise not_attached
        return {'volumeAttachment': views.attachment(bdm, req.api_version_request)}

    # --- attach / update / detach ---------------------------------------------------

    @staticmethod
    @contextlib.contextmanager
    def _errors(action, server_id):
        """Cinder's and the compute API's refusals as upstream's faults."""
        try:
            yield
        except (exception.VolumeNotFound, exception.VolumeBDMNotFound) as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.InvalidVolume, exception.InvalidBDM,
                exception.MultiattachNotSupportedOldMicroversion,
                exception.InvalidInput) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except (exception.InstanceIsLocked, exception.UnexpectedTaskStateError,
                exception.ComputeServiceUnavailable,
                exception.MultiattachNotSupportedByVirtDriver) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, action, server_id)
        except exception.CinderConnectionFailed as error:
            raise webob.exc.HTTPServiceUnavailable(explanation=error.format_message())

    def _server_for_change(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return context, instance

    @wsgi.expected_errors((400, 403, 404, 409, 503))
    @validation.schema(schema.create, '2.0', '2.48')
    @validation.schema(schema.create_v249, '2.49', '2.78')
    @validation.schema(schema.create_v279, '2.79')
    def create(self, req, server_id, body):
        context, instance = self._server_for_change(req, server_id, 'create')
        attachment = body['volumeAttachment']
        volume_id = attachment['volumeId']
        version = req.api_version_request
        delete_on_termination = strutils.bool_from_string(
            attachment.get('delete_on_termination', False), strict=True)
        with self._errors('attach_volume', server_id):
            device = compute_api.get().attach_volume(
                context, instance, volume_id, device=attachment.get('device'),
                tag=attachment.get('tag'), delete_on_termination=delete_on_termination,
                supports_multiattach=version >= '2.60')
        body = {'id': volume_id, 'serverId': instance.uuid, 'volumeId': volume_id,
                'device': device}
        if version >= '2.70':
            body['tag'] = attachment.get('tag')
        if version >= '2.79':
            body['delete_on_termination'] = delete_on_termination
        return {'volumeAttachment': body}

    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409, 503))
    @validation.schema(schema.update, '2.0', '2.84')
    @validation.schema(schema.update_v285, '2.85')
    def update(self, req, server_id, id, body):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        attachment = body['volumeAttachment']
        if req.api_version_request < '2.85' or attachment['volumeId'] != id:
            context.can(_POLICY % 'swap', target={'project_id': instance.project_id})
            with self._errors('swap_volume', server_id):
                compute_api.get().swap_volume(context, instance, id,
                                              attachment['volumeId'])
            return
        context.can(_POLICY % 'update', target={'project_id': instance.project_id})
        for key in ('device', 'tag', 'serverId', 'id'):
            if key in attachment and attachment[key] != self._current(
                    context, instance, id, key):
                raise webob.exc.HTTPBadRequest(explanation=(
                    'The %s of an attachment cannot be changed' % key))
        if 'delete_on_termination' in attachment:
            with self._errors('update volume attachment', server_id):
                compute_api.get().update_volume_attachment(
                    context, instance, id, strutils.bool_from_string(
                        attachment['delete_on_termination'], strict=True))

    @staticmethod
    def _current(context, instance, volume_id, key):
        try:
            bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(
                instance._context or context, volume_id, instance.uuid)
        except exception.VolumeBDMNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        return {'device': bdm.device_name, 'tag': bdm.tag, 'serverId': bdm.instance_uuid,
                'id': bdm.volume_id}[key]

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409, 503))
    def delete(self, req, server_id, id):
        context, instance = self._server_for_change(req, server_id, 'delete')
        with self._errors('detach_volume', server_id):
            try:
                compute_api.get().detach_volume(context, instance, id)
            except exception.VolumeBDMNotFound:
                raise webob.exc.HTTPNotFound(explanation='volume_id not found: %s' % id)
