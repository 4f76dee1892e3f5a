"""Nova's client of the Image service (Glance v2 REST API).

The API and nova-compute read image metadata through ``API().get`` and
nova-compute fetches image data with ``API().download``. Requests go through a
keystoneauth adapter built from the ``[glance]`` options, so the endpoint
comes from ``[glance] endpoint_override`` / ``api_servers`` or the service
catalog. Who Glance sees as the caller:

- the user's own token (``context.auth_token``) when the request carries one
  and the API runs with Keystone, so Glance applies the user's visibility;
- otherwise the ``[glance]`` auth plugin options, if set (a service user);
- otherwise nothing: a Glance without authentication (``--noauth`` clouds).

The session and the service user's plugin are nova.service_auth's, loaded once
as for the Neutron and Cinder clients (a service token is added as
``[service_user] send_service_user_token`` says).
"""

import hashlib
import random
import time
import urllib.parse

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_log import log as logging
from oslo_utils import timeutils

import nova.conf
from nova import exception
from nova import service_auth

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
GROUP = 'glance'

# Attributes of the v2 image schema; everything else an image carries is a
# user-defined property and goes into ``properties``.
CORE_ATTRIBUTES = frozenset((
    'id', 'name', 'status', 'visibility', 'protected', 'checksum', 'owner', 'size',
    'virtual_size', 'min_ram', 'min_disk', 'container_format', 'disk_format',
    'created_at', 'updated_at', 'tags', 'direct_url', 'locations', 'file', 'schema',
    'self', 'os_hash_algo', 'os_hash_value', 'os_hidden', 'stores',
))
_TIMESTAMPS = ('created_at', 'updated_at')
# Attributes Glance computes itself and refuses in a create request.
_READ_ONLY = frozenset(('id', 'status', 'checksum', 'owner', 'size', 'virtual_size',
                        'created_at', 'updated_at', 'direct_url', 'locations', 'file',
                        'schema', 'self', 'os_hash_algo', 'os_hash_value', 'stores'))
_DOWNLOAD_CHUNK = 64 * 1024

# The [glance] group registers session and adapter options only; a service
# user for calls without a user token is optional, so its plugin options are
# registered here, where they are used.
ks_loading.register_auth_conf_options(CONF, GROUP)


def _auth_for(context):
    """The caller's token (Glance applies the user's visibility), else the [glance]
    service user, else none (a Glance without authentication)."""
    return service_auth.user_or_service(context, service_auth.auth_of(GROUP), admin=False)


def _adapter(context):
    adapter = ks_loading.load_adapter_from_conf_options(
        CONF, GROUP, session=service_auth.session(GROUP), auth=_auth_for(context))
    servers = CONF.glance.api_servers
    if servers and not adapter.endpoint_override:
        adapter.endpoint_override = random.choice(servers)
    return adapter


def _server_name(adapter):
    if adapter.endpoint_override:
        return adapter.endpoint_override
    try:
        return adapter.get_endpoint() or 'image service'
    except ks_exc.ClientException:
        return 'image service'


def _request(context, method, path, image_id=None, **kwargs):
    """One Glance call with retries on connection failures; maps errors."""
    adapter = _adapter(context)
    attempts = 1 + max(0, CONF.glance.num_retries)
    for attempt in range(1, attempts + 1):
        try:
            resp = adapter.request(path, method, raise_exc=False, **kwargs)
            break
        except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout, ks_exc.EndpointNotFound,
                ks_exc.DiscoveryFailure) as exc:
            server = _server_name(adapter)
            if attempt == attempts or isinstance(exc, ks_exc.EndpointNotFound):
                raise exception.GlanceConnectionFailed(server=server, reason=exc)
            LOG.warning('Glance at %(server)s did not answer (attempt %(n)d of %(total)d): '
                        '%(exc)s', {'server': server, 'n': attempt, 'total': attempts,
                                    'exc': exc})
            time.sleep(min(attempt, 3))
        except ks_exc.Unauthorized as exc:  # the auth plugin itself was refused
            raise exception.ImageNotAuthorized(image_id=image_id or path) from exc
    if resp.status_code == 404 and image_id:
        raise exception.ImageNotFound(image_id=image_id)
    if resp.status_code in (401, 403):
        raise exception.ImageNotAuthorized(image_id=image_id or path)
    if resp.status_code == 400:
        # A filter, marker or value Glance refuses: the caller's input.
        raise exception.ImageBadRequest(image_id=image_id or path, response=resp.text[:200])
    if resp.status_code >= 400:
        raise exception.ImageServiceError(status=resp.status_code, method=method,
                                          path=path, reason=resp.text[:200])
    return resp


def _image_path(image_id, suffix=''):
    """``/v2/images/<id>`` with the id quoted: it comes from a URL or a user."""
    return '/v2/images/%s%s' % (urllib.parse.quote(str(image_id), safe=''), suffix)


def _v2_filters(filters):
    """Filters in the v1 style the compute API speaks, as Glance v2 takes them.

    ``property-<name>`` filters on an image property, ``changes-since`` is
    ``updated_at >= value``, ``is_public`` picks the visibility (``none``:
    any).  Other keys pass through."""
    v2 = {}
    for key, value in (filters or {}).items():
        if key.startswith('property-'):
            v2[key[len('property-'):]] = value
        elif key == 'changes-since':
            v2['updated_at'] = 'gte:%s' % value
        elif key == 'is_public':
            flag = str(value).lower()
            if flag in ('true', '1'):
                v2['visibility'] = 'public'
            elif flag in ('false', '0'):
                v2['visibility'] = 'private'
        else:
            v2[key] = value
    return v2


def _parse_time(value):
    if not value:
        return None
    return timeutils.normalize_time(timeutils.parse_isotime(value))


def translate_image(image):
    """Glance's v2 image document as the dict the rest of Nova works with."""
    meta = {
        'id': image.get('id'),
        'name': image.get('name'),
        'status': image.get('status'),
        'visibility': image.get('visibility'),
        'is_public': image.get('visibility') == 'public',
        'protected': image.get('protected', False),
        'checksum': image.get('checksum'),
        'owner': image.get('owner'),
        'size': image.get('size') or 0,
        'virtual_size': image.get('virtual_size'),
        'min_ram': image.get('min_ram') or 0,
        'min_disk': image.get('min_disk') or 0,
        'container_format': image.get('container_format'),
        'disk_format': image.get('disk_format'),
        'tags': list(image.get('tags') or []),
        'os_hash_algo': image.get('os_hash_algo'),
        'os_hash_value': image.get('os_hash_value'),
        'deleted': False,
        'deleted_at': None,
    }
    for key in _TIMESTAMPS:
        meta[key] = _parse_time(image.get(key))
    if image.get('direct_url'):
        meta['direct_url'] = image['direct_url']
    if image.get('locations'):
        meta['locations'] = image['locations']
    meta['properties'] = {k: v for k, v in image.items() if k not in CORE_ATTRIBUTES}
    return meta


class API(object):
    """Image metadata and data from Glance, on behalf of a request context."""

    def get(self, context, image_id, include_locations=False, show_deleted=True):
        """The image's metadata; ImageNotFound when Glance does not know it."""
        if not image_id:
            raise exception.ImageNotFound(image_id=image_id)
        resp = _request(context, 'GET', _image_path(image_id), image_id=image_id)
        meta = translate_image(resp.json())
        if not include_locations:
            meta.pop('locations', None)
        return meta

    def get_all(self, context, filters=None, limit=None, marker=None, sort_key=None,
                sort_dir=None):
        """Every image visible to the caller, following Glance's pagination."""
        params = _v2_filters(filters)
        if marker:
            params['marker'] = marker
        if sort_key:
            params['sort_key'] = sort_key
        if sort_dir:
            params['sort_dir'] = sort_dir
        images = []
        path = '/v2/images'
        while path:
            page_limit = None if limit is None else limit - len(images)
            if page_limit is not None:
                if page_limit <= 0:
                    break
                params['limit'] = page_limit
            resp = _request(context, 'GET', path, params=params or None)
            body = resp.json()
            images += [translate_image(i) for i in body.get('images', [])]
            path, params = body.get('next'), None
        return images

    def download(self, context, image_id, dst_path=None, chunk_size=_DOWNLOAD_CHUNK):
        """Stream the image data into ``dst_path``, or return an iterator of chunks.

        Written data is checked against the image's multihash (or MD5
        checksum) when Glance recorded one.
        """
        meta = self.get(context, image_id)
        resp = _request(context, 'GET', _image_path(image_id, '/file'), image_id=image_id,
                        stream=True)
        if resp.status_code == 204:
            raise exception.ImageUnacceptable(image_id=image_id, reason='it has no data')
        chunks = resp.iter_content(chunk_size)
        if dst_path is None:
            return chunks
        verifier = _verifier(meta)
        try:
            with open(dst_path, 'wb') as f:
                for chunk in chunks:
                    f.write(chunk)
                    if verifier:
                        verifier[1].update(chunk)
        finally:
            resp.close()
        if verifier and verifier[1].hexdigest() != verifier[0]:
            raise exception.ImageUnacceptable(
                image_id=image_id, reason='downloaded data does not match its checksum')
        return None

    # --- writing (snapshots and backups) -------------------------------------------

    def create(self, context, image_meta):
        """Record a new (queued) image; ``properties`` become Glance's extra properties."""
        body = {k: v for k, v in image_meta.items()
                if k in CORE_ATTRIBUTES and k not in _READ_ONLY and v is not None}
        for key, value in (image_meta.get('properties') or {}).items():
            if value is not None and key not in CORE_ATTRIBUTES:
                body[key] = str(value)
        resp = _request(context, 'POST', '/v2/images', json=body)
        return translate_image(resp.json())

    def delete(self, context, image_id):
        """Delete an image; ImageNotFound when it is already gone, ImageDeleteConflict
        when Glance refuses (a protected image, or one in use)."""
        try:
            _request(context, 'DELETE', _image_path(image_id), image_id=image_id)
        except exception.ImageServiceError as error:
            if error.kwargs.get('status') == 409:
                raise exception.ImageDeleteConflict(reason=error.kwargs.get('reason'))
            raise
        return True

    # --- writing images (snapshots, and the image metadata proxy) ---
    def update(self, context, image_id, image_meta, data=None, purge_props=False):
        """Set ``image_meta`` attributes of an existing image, then upload ``data``.

        ``data`` is a file object (streamed) or bytes. Attributes go through
        Glance's JSON-patch call; ``properties`` become top-level image
        properties, as in the v2 API. With ``purge_props`` the image keeps only
        the properties given (the others are removed). Returns the image's
        metadata afterwards.
        """
        image_meta = dict(image_meta or {})
        props = image_meta.pop('properties', None) or {}
        wanted = {k: v for k, v in image_meta.items() if k not in ('id', 'status', 'size',
                                                                  'checksum', 'created_at',
                                                                  'updated_at')}
        wanted.update(props)
        if wanted or purge_props:
            current = _request(context, 'GET', _image_path(image_id),
                               image_id=image_id).json()
            ops = []
            for key, value in wanted.items():
                if current.get(key) == value and key in current:
                    continue
                ops.append({'op': 'replace' if key in current else 'add',
                            'path': _patch_path(key), 'value': value})
            if purge_props:
                ops += [{'op': 'remove', 'path': _patch_path(key)} for key in current
                        if key not in CORE_ATTRIBUTES and key not in wanted]
            if ops:
                _request(context, 'PATCH', _image_path(image_id), image_id=image_id,
                         json=ops, headers={
                             'Content-Type': 'application/openstack-images-v2.1-json-patch'})
        if data is not None:
            _request(context, 'PUT', _image_path(image_id, '/file'), image_id=image_id,
                     data=data, headers={'Content-Type': 'application/octet-stream'})
        return self.get(context, image_id)


def _patch_path(key):
    """A JSON pointer to a top-level member (RFC 6901 escapes '~' and '/')."""
    return '/' + key.replace('~', '~0').replace('/', '~1')


def generate_image_url(image_id, context=None):
    """The image's URL in Glance (what pre-2.45 createImage answers as Location)."""
    adapter = _adapter(context)
    base = _server_name(adapter)
    if base == 'image service':
        base = 'http://glance'
    return '%s/images/%s' % (base.rstrip('/'), image_id)


def _verifier(meta):
    """(expected hex digest, hash object) for the image's data, or None."""
    algo, value = meta.get('os_hash_algo'), meta.get('os_hash_value')
    if algo and value and algo in hashlib.algorithms_available:
        return value, hashlib.new(algo)
    if meta.get('checksum'):
        return meta['checksum'], hashlib.md5(usedforsecurity=False)
    return None


def get_default_image_service():
    return API()
