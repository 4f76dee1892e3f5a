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


class VolumeController(wsgi.Controller):
    """``/os-volumes``: the caller's volumes in Cinder."""

    def _list(self, req, rule):
        context = req.environ['nova.context']
        _authorize(context, _POLICY % rule)
        if not cinder.is_configured():
            return {'volumes': []}
        with _cinder_errors():
            volumes = cinder.get_client(context).list_volumes()
        return {'volumes': [volume_view(v) for v in common.limited(volumes, req)]}

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
        _authorize(context, _POLICY % 'show')
        with _cinder_errors():
            return {'volume': volume_view(
                _client(context, webob.exc.HTTPNotFound).get_volume(id))}

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

    @wsgi.response(202)
    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 404, 503))
    def delete(self, req, id):
        context = req.environ['nova.context']
        _authorize(context, _POLICY % 'delete')
        with _cinder_errors():
            _client(context, webob.exc.HTTPNotFound).delete_volume(id)


class SnapshotController(wsgi.Controller):
    """``/os-snapshots``: the caller's volume snapshots in Cinder."""

    def _list(self, req, rule):
        context = req.environ['nova.context']
        _authorize(context, _SNAPSHOT_POLICY % rule)
        if not cinder.is_configured():
            return {'snapshots': []}
        with _cinder_errors():
            snapshots = cinder.get_client(context).list_snapshots()
        return {'snapshots': [snapshot_view(s) for s in common.limited(snapshots, req)]}

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
        _authorize(context, _SNAPSHOT_POLICY % 'show')
        with _cinder_errors():
            return {'snapshot': snapshot_view(
                _client(context, webob.exc.HTTPNotFound).get_snapshot(id))}

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

    @wsgi.response(202)
    @wsgi.Controller.api_version('2.1', MAX_VERSION)
    @wsgi.expected_errors((400, 404, 503))
    def delete(self, req, id):
        context = req.environ['nova.context']
        _authorize(context, _SNAPSHOT_POLICY % 'delete')
        with _cinder_errors():
            _client(context, webob.exc.HTTPNotFound).delete_snapshot(id)
