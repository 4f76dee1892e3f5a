"""Availability zones: a host's zone is the ``availability_zone`` metadata of its aggregates.

Computes outside any zoned aggregate are in ``[DEFAULT] default_availability_zone``;
every other service lives in ``[DEFAULT] internal_service_availability_zone``.
"""

from oslo_log import log as logging

import nova.conf
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

AZ_KEY = 'availability_zone'


def host_zones(context, hosts=None):
    """``{host: 'zone[,zone]'}`` for hosts in a zoned aggregate (others are absent)."""
    zones = {}
    for aggregate in objects.AggregateList.get_by_metadata_key(context, AZ_KEY, hosts=hosts):
        zone = aggregate.metadata.get(AZ_KEY)
        for host in aggregate.hosts or []:
            if zone and zone not in zones.setdefault(host, []):
                zones[host].append(zone)
    return {host: ','.join(sorted(names)) for host, names in zones.items() if names}


def get_host_availability_zone(context, host):
    """The zone a compute host is in (the default zone when no aggregate says)."""
    if not host:
        return None
    return host_zones(context, hosts=[host]).get(host) or CONF.default_availability_zone


def service_zone(service, zones):
    """The zone shown for ``service`` given ``host_zones()``."""
    if service.binary == 'nova-compute':
        return zones.get(service.host, CONF.default_availability_zone)
    return CONF.internal_service_availability_zone


def zone_names(context):
    """Every zone name aggregates define."""
    return {a.metadata.get(AZ_KEY) for a in
            objects.AggregateList.get_by_metadata_key(context, AZ_KEY)
            if a.metadata.get(AZ_KEY)}
