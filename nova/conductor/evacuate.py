"""Conductor's evacuate task (compute_task 1.2 ``evacuate_instance``).

A mixin of ComputeTaskManager, beside the migrate task whose request spec
and allocation hand-over it shares. The API has made the ``evacuation``
Migration (``accepted``) once the source's nova-compute was found down. Here
the server's allocation on the dead source goes to the migration (the source
host, when it comes back, frees it once it has removed its copy of the
guest), and the destination is claimed for the server: the scheduler picks
it (the named host, if any, is a requested destination), or with 2.29's
``force`` the named host is claimed as it is. Then the destination rebuilds
the server. With no destination the server keeps its allocation on the
source and the migration is ``error``.
"""

from oslo_log import log as logging

import nova.conf
from nova.compute import utils as compute_utils
from nova import exception
from nova import objects
from nova.scheduler import utils as scheduler_utils

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

EVACUATE_EVENT = 'conductor_rebuild_server'


class EvacuateTaskOperations(object):
    """evacuate_instance for ComputeTaskManager (with MigrateTaskOperations)."""

    def evacuate_instance(self, context, instance, migration, host=None, force=False,
                          admin_password=None, target_state=None):
        try:
            with compute_utils.event_reporter(context, EVACUATE_EVENT, CONF.host,
                                              instance.uuid):
                if not self.reportclient.move_allocations(context, instance.uuid,
                                                          migration.uuid):
                    raise exception.NoValidHost(reason='the allocation of the server '
                                                'could not be handed to its migration')
                if host and force:
                    dest_host, dest_node = self._claim_forced_host(context, instance, host)
                else:
                    spec = self._move_spec(context, instance, instance.flavor,
                                           host_name=host)
                    [[selection]] = self.scheduler_rpcapi.select_destinations(
                        context, spec, [instance.uuid], return_objects=True,
                        return_alternates=False)
                    dest_host, dest_node = selection.service_host, selection.nodename
        except Exception as exc:
            if not isinstance(exc, exception.NoValidHost):
                LOG.exception('Evacuation of %s failed in conductor', instance.uuid)
            self._abandon_move(context, instance, migration, exc)
            return
        migration.dest_compute = dest_host
        migration.dest_node = dest_node
        migration.save()
        try:
            self.compute_rpcapi.evacuate_instance(context, instance, migration, dest_node,
                                                  admin_password=admin_password,
                                                  target_state=target_state)
        except Exception as exc:
            LOG.exception('Could not hand the evacuation of %s to %s', instance.uuid,
                          dest_host)
            self.reportclient.delete_allocation_for_instance(context, instance.uuid)
            self._abandon_move(context, instance, migration, exc)

    def _claim_forced_host(self, context, instance, host):
        """2.29 ``force``: the named host, claimed without asking the scheduler."""
        node = objects.ComputeNodeList.get_all_by_host(context, host)[0]
        resources = scheduler_utils.resources_from_flavor(instance.flavor)
        claim = {'allocations': {node.uuid: {'resources': resources}}}
        if not self.reportclient.claim_resources(context, instance.uuid, claim,
                                                 instance.project_id, instance.user_id):
            raise exception.NoValidHost(reason='the server does not fit on host %s' % host)
        return host, node.hypervisor_hostname
