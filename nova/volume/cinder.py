"""Nova's client of the Block Storage service (Cinder's v3 REST API).

The endpoint comes from ``[cinder] catalog_info``
(``<service_type>:<service_name>:<interface>``, ``volumev3::publicURL`` by
default) in ``[cinder] os_region_name``, or from ``endpoint_template``
(``%(project_id)s`` filled in). Requests carry the caller's token, with the
``[service_user]`` token as ``X-Service-Token`` when
``send_service_user_token`` is set; without a user token (periodic tasks,
``noauth2``) they authenticate as the ``[cinder]`` service user. Idempotent
requests are retried ``[cinder] http_retries`` times on connection errors.

Attachments use the API Cinder has offered since Queens (microversion 3.44):
create an attachment with the host's connector (Cinder exports the volume and
returns its connection info), complete it once the guest has the disk, and
delete it on detach.
"""

import contextlib
import time
import urllib.parse

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exc
from oslo_config import cfg
from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import service_auth

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
GROUP = 'cinder'
ATTACHMENTS_MICROVERSION = '3.44'
_IDEMPOTENT = ('GET', 'PUT', 'DELETE', 'HEAD')
_INTERFACES = {'publicURL': 'public', 'internalURL': 'internal', 'adminURL': 'admin'}

def is_configured():
    """True when ``[cinder]`` names a service user or an endpoint template."""
    try:
        group = CONF.cinder
        return bool(group.auth_type or group.endpoint_template)
    except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
        return False


def reset():
    """Forget the cached session and auth plugins (tests that change ``[cinder]``)."""
    service_auth.reset()


def _session():
    return service_auth.session(GROUP)


def _service_auth():
    return service_auth.auth_of(GROUP)


def catalog_info():
    """(service_type, service_name or None, interface) from ``catalog_info``."""
    service_type, service_name, interface = CONF.cinder.catalog_info.split(':', 2)
    return service_type, service_name or None, _INTERFACES.get(interface, interface)


def _auth_for(context, admin):
    # Nova's own calls carry its token as the service token too: Cinder lets
    # only a service delete an attachment Nova made.
    return service_auth.user_or_service(context, _service_auth(), admin,
                                        service_token_on_own_calls=True)


def get_client(context, admin=False):
    """A client acting as the request's user, or as nova's service user when ``admin``."""
    service_type, service_name, interface = catalog_info()
    endpoint = None
    if CONF.cinder.endpoint_template:
        endpoint = CONF.cinder.endpoint_template % {
            'project_id': getattr(context, 'project_id', None) or ''}
    adapter = ks_adapter.Adapter(
        _session(), auth=_auth_for(context, admin), service_type=service_type,
        service_name=service_name, interface=interface,
        region_name=CONF.cinder.os_region_name, endpoint_override=endpoint)
    return Client(adapter)


def _quote(value):
    return urllib.parse.quote(str(value), safe='')


def _translate_attachment(attachment):
    """Cinder gives an attachment's connection info flat (the driver's data with
    ``driver_volume_type`` among it); Nova's drivers take upstream's shape,
    ``{'driver_volume_type': ..., 'data': {...}}``."""
    flat = attachment.get('connection_info')
    if flat and 'data' not in flat:
        attachment = dict(attachment, connection_info={
            'driver_volume_type': flat.get('driver_volume_type'), 'data': flat})
    return attachment


@contextlib.contextmanager
def _refusals(errors):
    """Cinder's refusals as Nova's exceptions: ``errors`` maps an HTTP status
    to an exception to raise, or to an exception class raised with Cinder's
    reason (``reason=``). Other statuses pass through as CinderError."""
    try:
        yield
    except CinderError as exc:
        mapped = errors.get(exc.status_code)
        if mapped is None:
            raise
        if isinstance(mapped, type):
            mapped = mapped(reason=exc.reason)
        raise mapped from exc


class Client(object):
    """The Cinder resources Nova uses, as plain dicts."""

    def __init__(self, adapter):
        self.adapter = adapter

    def _server(self):
        try:
            return self.adapter.endpoint_override or self.adapter.get_endpoint() or 'cinder'
        except ks_exc.ClientException:
            return 'cinder'

    def request(self, method, path, body=None, params=None,
                microversion=ATTACHMENTS_MICROVERSION):
        """One call; the decoded JSON answer (None for an empty one). Errors become Nova's."""
        attempts = 1 + (max(0, CONF.cinder.http_retries) if method in _IDEMPOTENT else 0)
        headers = {'Accept': 'application/json',
                   'OpenStack-API-Version': 'volume %s' % microversion}
        kwargs = {'raise_exc': False, 'headers': headers}
        if body is not None:
            kwargs['json'] = body
        if params:
            path = '%s?%s' % (path, urllib.parse.urlencode(params, doseq=True))
        for attempt in range(1, attempts + 1):
            try:
                resp = self.adapter.request(path, method, **kwargs)
                break
            except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout, ks_exc.EndpointNotFound,
                    ks_exc.DiscoveryFailure, ks_exc.RequestTimeout) as exc:
                if attempt == attempts or isinstance(exc, ks_exc.EndpointNotFound):
                    raise exception.CinderConnectionFailed(
                        reason='%s: %s' % (self._server(), exc)) from exc
                LOG.warning('Cinder did not answer %s %s (attempt %d of %d): %s',
                            method, path, attempt, attempts, exc)
                time.sleep(min(attempt, 3))
            except ks_exc.Unauthorized as exc:
                raise exception.Forbidden() from exc
        if resp.status_code < 400:
            return resp.json() if resp.content else None
        raise CinderError(method, path, resp)

    # --- volumes -------------------------------------------------------------------------

    def get_volume(self, volume_id):
        with _refusals({404: exception.VolumeNotFound(volume_id=volume_id)}):
            return self.request('GET', '/volumes/%s' % _quote(volume_id))['volume']

    def create_volume(self, size, name=None, description=None, image_id=None,
                      snapshot_id=None, volume_type=None, availability_zone=None,
                      metadata=None):
        body = {'size': size, 'name': name, 'description': description}
        for key, value in (('imageRef', image_id), ('snapshot_id', snapshot_id),
                           ('volume_type', volume_type),
                           ('availability_zone', availability_zone),
                           ('metadata', metadata)):
            if value:
                body[key] = value
        with _refusals({413: exception.OverQuota(overs='volumes'),
                        400: exception.InvalidInput, 404: exception.InvalidInput}):
            return self.request('POST', '/volumes', body={'volume': body})['volume']

    def delete_volume(self, volume_id):
        with _refusals({404: exception.VolumeNotFound(volume_id=volume_id)}):
            self.request('DELETE', '/volumes/%s' % _quote(volume_id))

    def _volume_action(self, volume_id, action, args=None):
        with _refusals({404: exception.VolumeNotFound(volume_id=volume_id),
                        400: exception.InvalidVolume}):
            self.request('POST', '/volumes/%s/action' % _quote(volume_id),
                         body={action: args})

    def begin_detaching(self, volume_id):
        """Mark an in-use volume ``detaching`` (a second detach is refused)."""
        self._volume_action(volume_id, 'os-begin_detaching')

    def roll_detaching(self, volume_id):
        """A detach that failed: the volume goes back to ``in-use``."""
        self._volume_action(volume_id, 'os-roll_detaching')

    def migrate_volume_completion(self, old_volume_id, new_volume_id, error=False):
        """Cinder's migration of an attached volume: the guest now uses the new one.
        Returns the id Nova keeps for the volume (``save_volume_id``)."""
        with _refusals({404: exception.VolumeNotFound(volume_id=old_volume_id)}):
            return self.request(
                'POST', '/volumes/%s/action' % _quote(old_volume_id),
                body={'os-migrate_volume_completion': {'new_volume': new_volume_id,
                                                       'error': error}})

    def list_volumes(self):
        """The caller's volumes, with details."""
        return self.request('GET', '/volumes/detail')['volumes']

    def list_snapshots(self):
        """The caller's snapshots, with details."""
        return self.request('GET', '/snapshots/detail')['snapshots']

    def create_snapshot(self, volume_id, force=False, name=None, description=None):
        body = {'volume_id': volume_id, 'force': bool(force), 'name': name,
                'description': description}
        with _refusals({404: exception.VolumeNotFound(volume_id=volume_id),
                        413: exception.OverQuota(overs='snapshots'),
                        400: exception.InvalidInput}):
            return self.request('POST', '/snapshots', body={'snapshot': body})['snapshot']

    def delete_snapshot(self, snapshot_id):
        with _refusals({404: exception.SnapshotNotFound(snapshot_id=snapshot_id),
                        400: exception.InvalidInput}):
            self.request('DELETE', '/snapshots/%s' % _quote(snapshot_id))

    def get_snapshot(self, snapshot_id):
        with _refusals({404: exception.SnapshotNotFound(snapshot_id=snapshot_id)}):
            return self.request('GET', '/snapshots/%s' % _quote(snapshot_id))['snapshot']

    def volume_types(self):
        """The volume types the caller may use (names and ids)."""
        return self.request('GET', '/types')['volume_types']

    # --- attachments ------------------------------------------------------------------------

    def attachment_create(self, volume_id, instance_uuid, connector=None, mountpoint=None):
        """Reserve the volume for the server; with ``connector``, also export it.

        Returns Cinder's attachment (``connection_info`` filled when a
        connector was given). A volume that cannot be attached (in use, in
        error) raises InvalidVolume; a missing one VolumeNotFound.
        """
        body = {'volume_uuid': volume_id, 'instance_uuid': instance_uuid}
        if connector:
            body['connector'] = dict(connector, mountpoint=mountpoint) \
                if mountpoint else connector
        with _refusals({404: exception.VolumeNotFound(volume_id=volume_id),
                        400: exception.InvalidVolume}):
            return _translate_attachment(self.request(
                'POST', '/attachments', body={'attachment': body})['attachment'])

    def attachment_get(self, attachment_id):
        with _refusals({404: exception.VolumeAttachmentNotFound(
                attachment_id=attachment_id)}):
            return _translate_attachment(self.request(
                'GET', '/attachments/%s' % _quote(attachment_id))['attachment'])

    def attachment_list(self, volume_id, instance_uuid):
        """The attachments of ``volume_id`` to ``instance_uuid`` (any status)."""
        return self.request('GET', '/attachments', params={
            'volume_id': volume_id, 'instance_id': instance_uuid})['attachments']

    def attachment_update(self, attachment_id, connector, mountpoint=None):
        """Give a reserved attachment the host's connector; returns it with connection_info."""
        if mountpoint:
            connector = dict(connector, mountpoint=mountpoint)
        with _refusals({404: exception.VolumeAttachmentNotFound(
                attachment_id=attachment_id)}):
            return _translate_attachment(self.request(
                'PUT', '/attachments/%s' % _quote(attachment_id),
                body={'attachment': {'connector': connector}})['attachment'])

    def attachment_complete(self, attachment_id):
        """Tell Cinder the guest has the disk: the volume goes ``in-use``."""
        self.request('POST', '/attachments/%s/action' % _quote(attachment_id),
                     body={'os-complete': None})

    def attachment_delete(self, attachment_id):
        """Remove the attachment (the volume goes ``available`` with no other one).

        An attachment already gone counts as deleted.
        """
        try:
            self.request('DELETE', '/attachments/%s' % _quote(attachment_id))
        except CinderError as exc:
            if exc.status_code != 404:
                raise
            LOG.info('Attachment %s was already gone from Cinder', attachment_id)


def check_availability_zone(volume, instance_az):
    """Refuse a volume of another availability zone when ``cross_az_attach`` is off."""
    if CONF.cinder.cross_az_attach or instance_az is None:
        return
    volume_az = volume.get('availability_zone')
    if volume_az != instance_az:
        raise exception.InvalidVolume(reason=(
            'Instance and volume not in same availability_zone: instance %s, volume %s'
            % (instance_az, volume_az)))


def check_attachable(volume, instance_uuid, multiattach_allowed=True):
    """Upstream's checks of a volume before reserving it for a server."""
    if volume.get('status') not in ('available', 'reserved', 'in-use'):
        raise exception.InvalidVolume(reason=(
            'volume %s is %s, not available' % (volume['id'], volume.get('status'))))
    attached_to = {a.get('server_id') for a in volume.get('attachments') or []}
    if instance_uuid in attached_to:
        raise exception.InvalidVolume(reason=(
            'volume %s is already attached to this server' % volume['id']))
    if volume.get('status') == 'in-use' and not volume.get('multiattach'):
        raise exception.InvalidVolume(reason=(
            'volume %s is in-use and is not multiattach' % volume['id']))
    if volume.get('multiattach') and not multiattach_allowed:
        raise exception.MultiattachNotSupportedOldMicroversion()


class CinderError(exception.NovaException):
    """An error answer from Cinder; ``status_code`` and ``reason`` kept for callers."""
    msg_fmt = 'Cinder answered %(method)s %(path)s with %(status)s: %(reason)s'

    def __init__(self, method, path, resp):
        self.status_code = resp.status_code
        reason = (resp.text or '')[:300]
        try:
            body = resp.json()
            error = next(iter(body.values())) if isinstance(body, dict) and body else {}
            if isinstance(error, dict) and error.get('message'):
                reason = error['message']
        except (ValueError, AttributeError, StopIteration):
            pass
        self.reason = reason
        super().__init__(method=method, path=path, status=resp.status_code, reason=reason)
