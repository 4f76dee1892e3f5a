"""What a shelved server carries: its system_metadata keys and its snapshot.

Shelving records ``shelved_at``, ``shelved_image_id`` and ``shelved_host``
in the server's system metadata and keeps its disk as a Glance image. An
unshelve (on its old host by the compute, or after an offload by the
conductor and the new host) drops both again: the helpers here are the one
place that knows how.
"""

from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)

SHELVE_KEYS = ('shelved_at', 'shelved_image_id', 'shelved_host')


def drop_shelve_keys(instance):
    """Remove the shelve keys from ``instance.system_metadata`` (not saved).

    Returns the shelved image id the keys named (None when there was none).
    """
    sysmeta = dict(instance.system_metadata or {})
    image_id = sysmeta.get('shelved_image_id')
    for key in SHELVE_KEYS:
        sysmeta.pop(key, None)
    instance.system_metadata = sysmeta
    return image_id


def delete_shelved_image(context, image_api, image_id, instance_uuid):
    """Delete the shelved snapshot ``image_id``; True when it is gone.

    An image already gone counts as deleted; any other failure is logged and
    left (the server is unshelved either way, the image is only garbage).
    """
    if not image_id:
        return True
    try:
        image_api.delete(context, image_id)
    except exception.ImageNotFound:
        return True
    except Exception as exc:
        LOG.warning('Could not delete the shelved image %s of %s: %s', image_id,
                    instance_uuid, exc)
        return False
    return True
