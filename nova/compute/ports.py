"""nova-compute's side of a server's ports: allocate before spawn, release after.

The ports are created (or the user's taken over) bound to this host before
the driver spawns, and the network info goes into the instance's info cache
(through conductor) so the API shows the addresses. Releasing deletes what
Nova created and unbinds what the user brought. After a failed build it
never raises (the build reschedules or fails; the ports left, still naming
the server as their device, go with its delete). A delete that cannot
release them fails, as upstream's does: the server stays, in ERROR with a
fault, with its ports and allocation, until a delete with Neutron back.

A server that moves takes its ports along, and its info cache is refreshed
after each change so the driver plugs (and the API shows) what Neutron has
bound: ``bind_to_host`` where the guest starts on another host (finish of a
resize or cold migration, its revert, evacuate, unshelve), ``unbind`` at a
shelve offload, and for live migration ``bind_for_live_migration`` (the
destination, before), ``activate_live_migration`` (the destination, after)
and ``drop_live_migration_bindings`` (a rollback).
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


NOT_RESCHEDULING = 'Failed to allocate the network(s), not rescheduling.'


def is_service_failure(exc):
    """Whether ``exc`` is Neutron not answering, or answering with a server error."""
    if isinstance(exc, exception.NeutronConnectionFailed):
        return True
    return isinstance(exc, exception.NeutronClientError) and \
        (getattr(exc, 'status_code', None) or 500) >= 500


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


def release(context, instance, network_info=None, requested_networks=None,
            raise_errors=False):
    """Delete Nova's ports of the server and unbind the user's; True if all went.

    With ``raise_errors`` (a delete) what Neutron answered is raised instead.
    """
    if not network_neutron.is_enabled():
        return True
    if network_info is None:
        network_info = cached_network_info(instance)
    try:
        network_api().deallocate_for_instance(context, instance, network_info,
                                              requested_networks=requested_networks)
    except Exception as exc:
        LOG.warning('Could not release the ports of %s: %s', instance.uuid, exc)
        if raise_errors:
            raise
        return False
    return True


def _refresh(context, instance):
    return info_cache.refresh(context, instance, network_api())


def bind_to_host(context, instance, host):
    """Bind the server's ports to ``host``; the refreshed network info (the cached
    one without Neutron). Raises what Neutron refused (PortBindingFailed for a host
    it cannot bind): the guest cannot start there without its ports."""
    if not network_neutron.is_enabled():
        return cached_network_info(instance)
    network_api().migrate_instance_finish(context, instance, host)
    return _refresh(context, instance)


def unbind(context, instance):
    """A shelve offload: the ports stay the server's, bound to no host. Never
    raises (the guest is gone already); True if Neutron did it."""
    if not network_neutron.is_enabled():
        return True
    try:
        network_api().unbind_ports(context, instance)
        _refresh(context, instance)
    except Exception as exc:
        LOG.warning('Could not unbind the ports of %s: %s', instance.uuid, exc)
        return False
    return True


def bind_for_live_migration(context, instance, host):
    """Inactive bindings on ``host`` for the server's ports (``binding-extended``);
    the ports so bound. Raises PortBindingFailed when ``host`` cannot take them."""
    if not network_neutron.is_enabled():
        return []
    return network_api().bind_ports_to_host(context, instance, host)


def activate_live_migration(context, instance, host, source_host):
    """The guest of a live migration runs on ``host``: its ports are bound there
    (the source's bindings go); the refreshed network info. Never raises: the guest
    has moved whatever Neutron says, so a failure is logged for the operator."""
    if not network_neutron.is_enabled():
        return []
    try:
        network_api().activate_port_bindings(context, instance, host, source_host)
    except Exception:
        LOG.exception('The ports of %s could not be bound to %s after its live '
                      'migration', instance.uuid, host)
    try:
        return _refresh(context, instance)
    except Exception as exc:
        LOG.warning('Could not refresh the network info of %s: %s', instance.uuid, exc)
        return cached_network_info(instance)


def drop_live_migration_bindings(context, instance, host):
    """A live migration to ``host`` rolled back: its inactive bindings there go.
    Never raises; True if Neutron did it."""
    if not network_neutron.is_enabled() or not host:
        return True
    try:
        network_api().delete_port_bindings(context, instance, host)
    except Exception as exc:
        LOG.warning('Could not delete the port bindings of %s on %s: %s', instance.uuid,
                    host, exc)
        return False
    return True
