"""``/os-volumes`` and ``/os-snapshots``: the deprecated proxies to Cinder.

They answer up to 2.35 and 404 after, as upstream. Each call goes to Cinder
as the caller (without Cinder configured, lists are empty, a volume or
snapshot is a 404 and a create a 400) and shows the volume or snapshot in the old Nova shape
(``displayName``, ``availabilityZone``, ``attachments`` with ``serverId``
and ``device``; ``[{}]`` for a volume attached nowhere, as upstream).
"""

import contextlib

from oslo_utils import strutils
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import volumes as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova.volume import cinder

_POLICY = 'os_compute_api:os-volumes:%s'
_SNAPSHOT_POLICY = 'os_compute_api:os-volumes:snapshots:%s'
MAX_VERSION = '2.35'


_NO_CINDER = 'no block storage service (Cinder) is configured'


def _authorize(context, rule):
    context.can(rule, target={'project_id': context.project_id})


def _client(context, missing):
    """The Cinder client; without Cinder configured, ``missing`` is raised
    (lists return nothing before asking)."""
    if not cinder.is_configured():
        raise missing(explanation=_NO_CINDER)
    return cinder.get_client(context)


@contextlib.contextmanager
def _cinder_errors():
    """Cinder's answers as upstream's faults of these proxies."""
    try:
        yield
    except (exception.VolumeNotFound, exception.SnapshotNotFound) as error:
        raise webob.exc.HTTPNotFound(explanation=error.format_message())
    except (exception.InvalidInput, exception.InvalidVolume) as error:
        raise webob.exc.HTTPBadRequest(explanation=error.format_message())
    except exception.OverQuota as error:
        raise webob.exc.HTTPForbidden(explanation=error.format_message())
    except exception.CinderConnectionFailed as error:
        raise webob.exc.HTTPServiceUnavailable(explanation=error.format_message())
    except cinder.CinderError as error:
        if error.status_code in (400, 404):
            cls = (webob.exc.HTTPBadRequest if error.status_code == 400
                   else webob.exc.HTTPNotFound)
            raise cls(explanation=error.reason)
        raise


def volume_view(volume):
    attachments = [{'id': volume['id'], 'volumeId': volume['id'],
                    'serverId': a.get('server_id'), 'device': a.get('device')}
                   for a in volume.get('attachments') or []]
    return {
        'id': volume['id'],
        'status': volume.get('status'),
        'size': volume.get('size'),
        'availabilityZone': volume.get('availability_zone'),
        'createdAt': volume.get('created_at'),
        'attachments': attachments or [{}],
        'displayName': volume.get('name'),
        'displayDescription': volume.get('description'),
        'volumeType': volume.get('volume_type'),
        'snapshotId': volume.get('snapshot_id'),
        'metadata': volume.get('metadata') or {},
    }


def snapshot_view(snapshot):
    return {
        'id': snapshot['id'],
        'volumeId': snapshot.get('volume_id'),
        'status': snapshot.get('status'),
        'size': snapshot.get('size'),
        'createdAt': snapshot.get('created_at'),
        'displayName': snapshot.get('name'),
        'displayDescription': snapshot.get('description'),
    }


class _CinderProxyController(wsgi.Controller):
    """What ``/os-volumes`` and ``/os-snapshots`` do alike: list, show and
    delete one kind of Cinder resource, named by the class attributes."""

    _policy = None      # policy rule template, '%s' the action
    _kind = None        # 'volume' or 'snapshot': the body key (the list's is its
                        # plural) and the client's list_<kind>s, get_<kind>, delete_<kind>
    _view = None        # staticmethod: Cinder's dict -> the old Nova shape

    def _list(self, req, rule):
        context = req.environ['nova.context']
        _authorize(context, self._policy % rule)
        if not cinder.is_configured():
            return {self._kind + 's': []}
        with _cinder_errors():
            found = getattr(cinder.get_client(context), 'list_%ss' % self._kind)()
        return {self._kind + 's': [self._view(r) for r in common.limited(found, req)]}

    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 503))
    def index(self, req):
        return self._list(req, 'list')

    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 503))
    def detail(self, req):
        return self._list(req, 'detail')

    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((404, 503))
    def show(self, req, id):
        context = req.environ['nova.context']
        _authorize(context, self._policy % 'show')
        with _cinder_errors():
            client = _client(context, webob.exc.HTTPNotFound)
            return {self._kind: self._view(getattr(client, 'get_' + self._kind)(id))}

    @wsgi.response(202)
    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 404, 503))
    def delete(self, req, id):
        context = req.environ['nova.context']
        _authorize(context, self._policy % 'delete')
        with _cinder_errors():
            client = _client(context, webob.exc.HTTPNotFound)
            getattr(client, 'delete_' + self._kind)(id)


class VolumeController(_CinderProxyController):
    """``/os-volumes``: the caller's volumes in Cinder."""

    _policy = _POLICY
    _view = staticmethod(volume_view)
    _kind = 'volume'

    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 403, 404, 503))
    @validation.schema(schema.create)
    def create(self, req, body):
        context = req.environ['nova.context']
        _authorize(context, _POLICY % 'create')
        vol = body['volume']
        client = _client(context, webob.exc.HTTPBadRequest)
        with _cinder_errors():
            if vol.get('snapshot_id'):
                client.get_snapshot(vol['snapshot_id'])
            volume = client.create_volume(
                int(vol['size']), name=vol.get('display_name'),
                description=vol.get('display_description'),
                snapshot_id=vol.get('snapshot_id'), volume_type=vol.get('volume_type'),
                availability_zone=vol.get('availability_zone'),
                metadata=vol.get('metadata'))
        return {'volume': volume_view(volume)}


class SnapshotController(_CinderProxyController):
    """``/os-snapshots``: the caller's volume snapshots in Cinder."""

    _policy = _SNAPSHOT_POLICY
    _view = staticmethod(snapshot_view)
    _kind = 'snapshot'

    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 403, 404, 503))
    @validation.schema(schema.snapshot_create)
    def create(self, req, body):
        context = req.environ['nova.context']
        _authorize(context, _SNAPSHOT_POLICY % 'create')
        snap = body['snapshot']
        force = strutils.bool_from_string(snap.get('force', False), strict=True)
        with _cinder_errors():
            snapshot = _client(context, webob.exc.HTTPBadRequest).create_snapshot(
                snap['volume_id'], force=force, name=snap.get('display_name'),
                description=snap.get('display_description'))
        return {'snapshot': snapshot_view(snapshot)}
