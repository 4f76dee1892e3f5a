"""The metadata API's WSGI application (nova-api-metadata, port 8775).

Guests reach it at 169.254.169.254 through Neutron's metadata proxy, which
names the instance in signed headers (``[neutron] service_metadata_proxy``),
or directly, when the caller's address is the instance's fixed IP
(``X-Forwarded-For`` counts when oslo.middleware's
``enable_proxy_headers_parsing`` is on).  Directories are listed one entry a
line; unknown paths are 404.
"""

import hashlib
import hmac
import json
import threading
import time

from oslo_log import log as logging
import webob.dec
import webob.exc

from nova.api.metadata import base
from nova.api.metadata import lookup
from nova.api.metadata import password
from nova.api.metadata import vendordata
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

TEXT_PLAIN = 'text/plain'
APPLICATION_JSON = 'application/json'


class _TTLCache(object):
    """InstanceMetadata by key, kept ``[api] metadata_cache_expiration`` seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, key):
        ttl = CONF.api.metadata_cache_expiration
        if ttl <= 0:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] > ttl:
                self._entries.pop(key, None)
                return None
            return entry[1]

    def put(self, key, value):
        if CONF.api.metadata_cache_expiration <= 0:
            return
        with self._lock:
            if len(self._entries) > 10000:
                self._entries.clear()  # a crude bound; entries are cheap to rebuild
            self._entries[key] = (time.monotonic(), value)

    def forget(self, instance_uuid):
        with self._lock:
            for key in [k for k, v in self._entries.items()
                        if v[1] is not None and v[1].instance.uuid == instance_uuid]:
                del self._entries[key]


def render(data):
    """(body bytes, content type) of a tree node."""
    if isinstance(data, base.Listing):
        return '\n'.join(data).encode('utf-8'), TEXT_PLAIN
    if isinstance(data, dict):
        return json.dumps(data).encode('utf-8'), APPLICATION_JSON
    if isinstance(data, list):
        return '\n'.join(str(item) for item in data).encode('utf-8'), TEXT_PLAIN
    if isinstance(data, bytes):
        return data, TEXT_PLAIN
    return str(data).encode('utf-8'), TEXT_PLAIN


def sign_instance_id(instance_id):
    """The signature Neutron's metadata proxy sends for ``instance_id``."""
    secret = (CONF.neutron.metadata_proxy_shared_secret or '').encode('utf-8')
    return hmac.new(secret, instance_id.encode('utf-8'), hashlib.sha256).hexdigest()


def _single_header(req, name):
    """A header's value; a header sent twice is a bad request."""
    values = req.headers.getall(name) if hasattr(req.headers, 'getall') else None
    if values is not None and len(values) > 1:
        raise webob.exc.HTTPBadRequest(
            explanation='Multiple %s headers were found in the request.' % name)
    value = req.headers.get(name)
    if value is not None and ',' in value:
        raise webob.exc.HTTPBadRequest(
            explanation='Multiple %s headers were found in the request.' % name)
    return value


class MetadataRequestHandler(object):
    """Serve the metadata tree of the instance the request comes from."""

    def __init__(self):
        self._cache = _TTLCache()
        self._addresses = lookup.AddressIndex()

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    # -- finding the instance --------------------------------------------

    def _by_instance_id(self, req):
        instance_id = _single_header(req, 'X-Instance-ID')
        tenant_id = _single_header(req, 'X-Tenant-ID')
        signature = _single_header(req, 'X-Instance-ID-Signature')
        if not instance_id:
            raise webob.exc.HTTPBadRequest(
                explanation='X-Instance-ID header is missing from request.')
        if not tenant_id:
            raise webob.exc.HTTPBadRequest(
                explanation='X-Tenant-ID header is missing from request.')
        if not hmac.compare_digest(sign_instance_id(instance_id), signature or ''):
            LOG.warning('X-Instance-ID-Signature %r does not match instance %s '
                        '(request from %s)', signature, instance_id, req.remote_addr)
            raise webob.exc.HTTPForbidden(explanation='Invalid proxy request signature.')
        key = ('uuid', instance_id)
        metadata = self._cache.get(key)
        if metadata is None:
            instance = lookup.get_by_uuid(instance_id)
            if instance is None:
                LOG.info('Metadata request for unknown instance %s', instance_id)
                raise webob.exc.HTTPNotFound()
            metadata = base.InstanceMetadata(instance, address=req.remote_addr)
            self._cache.put(key, metadata)
        if metadata.instance.project_id != tenant_id:
            LOG.warning('Tenant %s does not own instance %s; metadata refused',
                        tenant_id, instance_id)
            raise webob.exc.HTTPNotFound()
        return metadata

    def _by_remote_address(self, req):
        address = req.remote_addr
        if not address:
            raise webob.exc.HTTPNotFound()
        key = ('address', address)
        metadata = self._cache.get(key)
        if metadata is None:
            instance = self._addresses.get(address)
            if instance is None:
                LOG.info('No instance has fixed IP %s; metadata request refused', address)
                raise webob.exc.HTTPNotFound()
            metadata = base.InstanceMetadata(instance, address=address)
            self._cache.put(key, metadata)
        return metadata

    def find_metadata(self, req):
        if CONF.neutron.service_metadata_proxy:
            return self._by_instance_id(req)
        if req.headers.get('X-Instance-ID'):
            LOG.warning('X-Instance-ID header ignored: [neutron] service_metadata_proxy '
                        'is off')
        return self._by_remote_address(req)

    # -- serving ---------------------------------------------------------

    def _password(self, req, metadata):
        if req.method in ('GET', 'HEAD'):
            return password.extract_password(metadata.instance).encode(), TEXT_PLAIN
        if req.method != 'POST':
            raise webob.exc.HTTPBadRequest()
        body = req.body
        if (req.content_length or 0) > password.MAX_SIZE or len(body) > password.MAX_SIZE:
            raise webob.exc.HTTPBadRequest(explanation='Request is too large.')
        instance = lookup.get_by_uuid(metadata.instance.uuid)
        if instance is None:
            raise webob.exc.HTTPNotFound()
        if password.extract_password(instance):
            raise webob.exc.HTTPConflict(explanation='Password already set.')
        password.set_password(instance, body.decode('utf-8', 'replace'))
        self._cache.forget(instance.uuid)
        return b'', TEXT_PLAIN

    @webob.dec.wsgify
    def __call__(self, req):
        path = req.path_info or '/'
        if not [token for token in path.split('/') if token]:
            # The version list needs no instance.
            body, content_type = render(base.Listing(list(base.ec2.VERSIONS) + ['latest']))
            return webob.Response(body=body, content_type=content_type, charset='utf-8')
        metadata = self.find_metadata(req)
        tokens = [token for token in path.split('/') if token]
        try:
            data = metadata.lookup(path)
        except base.InvalidMetadataPath:
            raise webob.exc.HTTPNotFound()
        except vendordata.VendorDataFailed as error:
            # [api] vendordata_dynamic_failure_fatal: the operator asked for this.
            raise webob.exc.HTTPInternalServerError(explanation=str(error))
        if tokens[0] == 'openstack' and tokens[-1] == base.PASS_NAME and len(tokens) == 3:
            body, content_type = self._password(req, metadata)
        else:
            body, content_type = render(data)
        return webob.Response(body=body, content_type=content_type, charset='utf-8')
