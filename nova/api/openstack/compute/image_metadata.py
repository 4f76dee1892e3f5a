"""``/images/{image_id}/metadata``: an image's properties through the Glance proxy.

Served up to microversion 2.35, like ``/images``.  Every change writes the
whole property set back to Glance (properties not in it are removed), after
checking it against the project's ``metadata_items`` quota (403 over it).
"""

import webob.exc

from nova.api.openstack.compute import images
from nova.api.openstack.compute.schemas import image_metadata as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import quota

MAX_PROXY_VERSION = images.MAX_PROXY_VERSION


def _check_quota(context, properties):
    """403 when the image would carry more properties than ``metadata_items`` allows."""
    if not properties:
        return
    limit = quota.project_limits(context, context.project_id)['metadata_items']
    if 0 <= limit < len(properties):
        raise webob.exc.HTTPForbidden(explanation='Image metadata limit exceeded')


class ImageMetadataController(wsgi.Controller):

    @staticmethod
    def _image(context, image_id):
        try:
            return images.image_api().get(context, image_id)
        except exception.ImageNotAuthorized as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except (exception.ImageNotFound, exception.Invalid):
            raise webob.exc.HTTPNotFound(explanation='Image not found.')

    @staticmethod
    def _save(context, image_id, properties):
        _check_quota(context, properties)
        try:
            images.image_api().update(context, image_id, {'properties': properties},
                                      data=None, purge_props=True)
        except exception.ImageNotAuthorized as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except exception.ImageNotFound:
            raise webob.exc.HTTPNotFound(explanation='Image not found.')
        except exception.Invalid as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.expected_errors((403, 404))
    def index(self, req, image_id):
        context = req.environ['nova.context']
        return {'metadata': self._image(context, image_id).get('properties') or {}}

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.expected_errors((403, 404))
    def show(self, req, image_id, id):
        context = req.environ['nova.context']
        properties = self._image(context, image_id).get('properties') or {}
        if id not in properties:
            raise webob.exc.HTTPNotFound(explanation='Invalid metadata key')
        return {'meta': {id: properties[id]}}

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @validation.schema(schema.create)
    @wsgi.expected_errors((400, 403, 404))
    def create(self, req, image_id, body):
        context = req.environ['nova.context']
        properties = dict(self._image(context, image_id).get('properties') or {})
        properties.update(body['metadata'])
        self._save(context, image_id, properties)
        return {'metadata': properties}

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @validation.schema(schema.update)
    @wsgi.expected_errors((400, 403, 404))
    def update(self, req, image_id, id, body):
        context = req.environ['nova.context']
        meta = body['meta']
        if id not in meta:
            raise webob.exc.HTTPBadRequest(explanation='Request body and URI mismatch')
        properties = dict(self._image(context, image_id).get('properties') or {})
        properties[id] = meta[id]
        self._save(context, image_id, properties)
        return {'meta': meta}

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @validation.schema(schema.update_all)
    @wsgi.expected_errors((400, 403, 404))
    def update_all(self, req, image_id, body):
        context = req.environ['nova.context']
        self._image(context, image_id)
        metadata = body['metadata']
        self._save(context, image_id, metadata)
        return {'metadata': metadata}

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((403, 404))
    def delete(self, req, image_id, id):
        context = req.environ['nova.context']
        properties = dict(self._image(context, image_id).get('properties') or {})
        if id not in properties:
            raise webob.exc.HTTPNotFound(explanation='Invalid metadata key')
        del properties[id]
        self._save(context, image_id, properties)
