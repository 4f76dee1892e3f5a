"""Compute API: hand external events to the compute hosts of their servers."""

import collections

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class ExternalEventAPIMixin(object):
    """``nova.compute.api.API.external_instance_event``."""

    def external_instance_event(self, context, instances, events):
        """One cast per host, carrying that host's instances and their events."""
        by_uuid = {instance.uuid: instance for instance in instances}
        instances_by_host = collections.defaultdict(list)
        events_by_host = collections.defaultdict(list)
        contexts_by_host = {}
        for event in events:
            instance = by_uuid.get(event.instance_uuid)
            if instance is None or not instance.host:
                LOG.debug('Not sending event %s: instance %s has no host', event.name,
                          event.instance_uuid)
                continue
            host = instance.host
            if instance not in instances_by_host[host]:
                instances_by_host[host].append(instance)
            events_by_host[host].append(event)
            # The cell-targeted context the instance was read with reaches its cell's bus.
            contexts_by_host.setdefault(host, instance._context or context)
        for host, host_instances in instances_by_host.items():
            self.compute_rpcapi.external_instance_event(
                contexts_by_host[host], host_instances, events_by_host[host], host=host)
