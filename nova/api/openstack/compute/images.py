"""``/images``: the deprecated proxy to Glance, served up to microversion 2.35.

Old clients list, show and delete images through the compute API; from 2.36
the routes answer 404 and clients talk to Glance themselves.  Filters keep
their v1 names (``server`` is a snapshot's server, ``type`` its image type,
``property-<name>`` any property) and go to Glance, which also pages
(``limit``, ``marker``).  Glance decides who may see or delete what: the
proxy has no policy rules of its own, as upstream.
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.views import images as images_view
from nova.api.openstack import wsgi
from nova.compute import api as compute_api
from nova import exception

MAX_PROXY_VERSION = '2.35'
# query parameter -> the filter the image API takes
FILTERS = {
    'name': 'name',
    'status': 'status',
    'changes-since': 'changes-since',
    'server': 'property-instance_uuid',
    'type': 'property-image_type',
    'minRam': 'min_ram',
    'minDisk': 'min_disk',
}


def image_api():
    """The Glance client the compute API uses (one per process)."""
    return compute_api.get().image_api


def _filters(req):
    filters = {}
    for param, value in req.GET.items():
        if param in FILTERS or param.startswith('property-'):
            filters[FILTERS.get(param, param)] = value
    server = filters.get('property-instance_uuid')
    if server is not None:
        # a server's id, or its URL
        filters['property-instance_uuid'] = server.rstrip('/').rsplit('/', 1)[-1]
    if 'status' in filters:
        filters['status'] = filters['status'].lower()  # Glance's statuses are lower case
    return filters


class ImagesController(wsgi.Controller):

    _view_builder_class = images_view.ViewBuilder

    def _list(self, req):
        context = req.environ['nova.context']
        params = common.get_pagination_params(req)
        params.pop('page_size', None)
        try:
            return image_api().get_all(context, filters=_filters(req), **params)
        except exception.Invalid as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.expected_errors((400, 403))
    def index(self, req):
        return self._view_builder.index(req, self._list(req))

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.expected_errors((400, 403))
    def detail(self, req):
        return self._view_builder.detail(req, self._list(req))

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.expected_errors((403, 404))
    def show(self, req, id):
        context = req.environ['nova.context']
        try:
            image = image_api().get(context, id)
        except (exception.ImageNotFound, exception.Invalid):
            raise webob.exc.HTTPNotFound(explanation='Image not found.')
        return self._view_builder.show(req, image)

    @wsgi.Controller.api_version('2.1', MAX_PROXY_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((403, 404, 409))
    def delete(self, req, id):
        context = req.environ['nova.context']
        try:
            image_api().delete(context, id)
        except (exception.ImageNotFound, exception.Invalid):
            raise webob.exc.HTTPNotFound(explanation='Image not found.')
        except exception.ImageNotAuthorized:
            raise webob.exc.HTTPForbidden(
                explanation='You are not allowed to delete the image.')
        except exception.ImageDeleteConflict as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
