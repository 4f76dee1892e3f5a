"""A server's network info cache: read, refreshed from Neutron, written.

nova-compute (builds, ``network-changed`` events) and nova-api (floating
IP, security group and interface changes) both rewrite the cache; each
does it under ``lock``, reading the cache again inside it, so a refresh
never writes back a cache read before another writer saved it (that
would lose the marks of the user's own ports, which are kept on delete).
"""

from oslo_concurrency import lockutils

from nova import exception
from nova import objects


def lock(instance_uuid):
    return lockutils.lock('refresh_cache-%s' % instance_uuid)


def load(instance):
    """Load the info cache of an instance that came without it (an event's or a
    periodic task's)."""
    if not instance.obj_attr_is_set('info_cache') and instance._context is not None:
        instance.obj_load_attr('info_cache')


def cached(instance):
    """The cached network info (a list of VIF dicts; [] when there is none)."""
    load(instance)
    if instance.obj_attr_is_set('info_cache') and instance.info_cache is not None:
        return list(instance.info_cache.network_info or [])
    return []


def save(context, instance, network_info):
    if not instance.obj_attr_is_set('info_cache') or instance.info_cache is None:
        instance.info_cache = objects.InstanceInfoCache.new(context, instance.uuid)
    instance.info_cache.network_info = network_info
    instance.info_cache.save()


def refresh(context, instance, network_api, preserved=()):
    """Cache what Neutron says of the server's ports now; the new network info.

    ``preserved``: ids of the user's own ports not yet marked so in the cache
    (one just attached)."""
    with lock(instance.uuid):
        try:
            instance.info_cache = objects.InstanceInfoCache.get_by_instance_uuid(
                context, instance.uuid)
        except exception.InstanceInfoCacheNotFound:
            load(instance)
        network_info = network_api.get_instance_nw_info(context, instance,
                                                        preserved=preserved)
        save(context, instance, network_info)
    return network_info
