"""nova-compute's side of a server's ports: allocate before spawn, release after.

The ports are created (or the user's taken over) bound to this host before
the driver spawns, and the network info goes into the instance's info cache
(through conductor) so the API shows the addresses. Releasing deletes what
Nova created and unbinds what the user brought; it never raises, so a
failed build can still reschedule and a delete still completes while
Neutron is away (what could not be released is logged).
"""

from oslo_log import log as logging

from nova import exception
from nova.network import info_cache
from nova.network import neutron as network_neutron

LOG = logging.getLogger(__name__)

_API = []

# Network errors no other host would fix: the build is aborted, not rescheduled.
ABORT_ERRORS = (exception.FixedIpAlreadyInUse, exception.FixedIpInvalidOnHost,
                exception.UnableToAutoAllocateNetwork,
                exception.ExternalNetworkAttachForbidden, exception.PortInUse,
                exception.PortNotFound, exception.NetworkNotFound,
                exception.SecurityGroupNotFound, exception.PortLimitExceeded,
                exception.NetworkAmbiguous, exception.NetworkRequiresSubnet,
                exception.VirtualInterfaceCreateException)


def network_api():
    if not _API:
        _API.append(network_neutron.API())
    return _API[0]


def network_api_enabled():
    return network_neutron.is_enabled()


load_info_cache = info_cache.load
cached_network_info = info_cache.cached
cache_lock = info_cache.lock
save_network_info = info_cache.save


def security_group_names(request_spec):
    if request_spec is None or not request_spec.obj_attr_is_set('security_groups') \
            or request_spec.security_groups is None:
        return []
    return [g.name for g in request_spec.security_groups.objects
            if g.obj_attr_is_set('name') and g.name]


def allocate(context, instance, requested_networks, host, request_spec=None):
    """The server's network info after its ports are set up for ``host`` ([]
    without Neutron or with networks 'none')."""
    if not network_neutron.is_enabled() or requested_networks == network_neutron.NETWORKS_NONE:
        return []
    network_info = network_api().allocate_for_instance(
        context, instance, requested_networks, host,
        security_groups=security_group_names(request_spec))
    if network_info:
        with cache_lock(instance.uuid):
            save_network_info(context, instance, network_info)
    return network_info


def release(context, instance, network_info=None, requested_networks=None):
    """Delete Nova's ports of the server and unbind the user's; True if all went."""
    if not network_neutron.is_enabled():
        return True
    if network_info is None:
        network_info = cached_network_info(instance)
    try:
        network_api().deallocate_for_instance(context, instance, network_info,
                                              requested_networks=requested_networks)
    except Exception as exc:
        LOG.warning('Could not release the ports of %s: %s', instance.uuid, exc)
        return False
    return True
