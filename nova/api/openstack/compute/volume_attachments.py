"""``/servers/{id}/os-volume_attachments``: the volumes a server has attached.

Listing and showing read the server's block device mappings only, so they
answer without Cinder: a server without volumes lists
``{"volumeAttachments": []}`` and any volume id shows 404.  Attaching,
swapping and detaching need Cinder and are not routed here.
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.views import volume_attachments as views
from nova.api.openstack import wsgi
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
