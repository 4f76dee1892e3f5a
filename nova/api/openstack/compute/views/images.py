"""The image proxy's views: Glance's image metadata as the v2 compute API showed it.

Glance's statuses become the compute API's upper-case ones (and a progress
percentage); ``properties`` are the ``metadata``; a snapshot (an image with
an ``instance_uuid`` property) links to its server; an ``auto_disk_config``
property shows as ``OS-DCF:diskConfig``.
"""

from oslo_utils import strutils

from nova.api.openstack import common
from nova.image import glance

STATUSES = {
    'active': 'ACTIVE',
    'queued': 'SAVING',
    'saving': 'SAVING',
    'deleted': 'DELETED',
    'pending_delete': 'DELETED',
    'killed': 'ERROR',
}
PROGRESS = {'queued': 25, 'saving': 50, 'active': 100}


def _format_date(value):
    """``2011-01-01T01:02:03Z`` (Glance's times are naive UTC datetimes here)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


class ViewBuilder(common.ViewBuilder):

    _collection_name = 'images'

    def basic(self, req, image):
        return {'image': {'id': image.get('id'), 'name': image.get('name'),
                          'links': self._links(req, image['id'])}}

    def show(self, req, image):
        properties = image.get('properties') or {}
        view = {
            'id': image.get('id'),
            'name': image.get('name'),
            'minRam': int(image.get('min_ram') or 0),
            'minDisk': int(image.get('min_disk') or 0),
            'metadata': properties,
            'created': _format_date(image.get('created_at')),
            'updated': _format_date(image.get('updated_at')),
            'status': STATUSES.get(image.get('status'), 'UNKNOWN'),
            'progress': PROGRESS.get(image.get('status'), 0),
            'links': self._links(req, image['id']),
            'OS-EXT-IMG-SIZE:size': image.get('size'),
        }
        server_uuid = properties.get('instance_uuid')
        if server_uuid is not None:
            view['server'] = {'id': server_uuid,
                              'links': self._get_links(req, server_uuid, 'servers')}
        auto_disk_config = properties.get('auto_disk_config')
        if auto_disk_config is not None:
            view['OS-DCF:diskConfig'] = (
                'AUTO' if strutils.bool_from_string(auto_disk_config) else 'MANUAL')
        return {'image': view}

    def index(self, req, images):
        return self._list(req, images, self.basic)

    def detail(self, req, images):
        return self._list(req, images, self.show)

    def _list(self, req, images, view):
        body = {'images': [view(req, image)['image'] for image in images]}
        links = self._get_collection_links(req, images, id_key='id')
        if links:
            body['images_links'] = links
        return body

    def _links(self, req, image_id):
        """self and bookmark in the compute API, and the image in Glance itself."""
        alternate = self._update_glance_link_prefix(glance.generate_image_url(image_id))
        return self._get_links(req, image_id) + [
            {'rel': 'alternate', 'type': 'application/vnd.openstack.image',
             'href': alternate}]
