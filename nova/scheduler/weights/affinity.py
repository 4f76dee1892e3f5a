"""Soft (anti-)affinity: prefer, without requiring, hosts by group members they hold."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class _SoftAffinityWeigherBase(weights.BaseHostWeigher):
    multiplier_from_aggregates = True
    policy = None
    option = None

    def weight_multiplier(self, host_state):
        return utils.get_weight_multiplier(host_state, self.option,
                                           getattr(CONF.filter_scheduler, self.option))

    def _applies(self, spec_obj):
        group = spec_obj.instance_group if spec_obj.obj_attr_is_set('instance_group') else None
        return group is not None and group.policy == self.policy

    def weigh_objects(self, weighed_hosts, weight_properties):
        if not self._applies(weight_properties):
            # No group of this policy: every host scores 0, found out once.
            if weighed_hosts:
                self.minval = 0 if self.minval is None else min(self.minval, 0)
                self.maxval = 0 if self.maxval is None else max(self.maxval, 0)
            return [0] * len(weighed_hosts)
        return super().weigh_objects(weighed_hosts, weight_properties)

    def _weigh_object(self, host_state, spec_obj):
        if not self._applies(spec_obj):
            return 0
        members = set(spec_obj.instance_group.members or [])
        return len(members & set(host_state.instances))


class ServerGroupSoftAffinityWeigher(_SoftAffinityWeigherBase):
    policy = 'soft-affinity'
    option = 'soft_affinity_weight_multiplier'


class ServerGroupSoftAntiAffinityWeigher(_SoftAffinityWeigherBase):
    policy = 'soft-anti-affinity'
    option = 'soft_anti_affinity_weight_multiplier'

    def _weigh_object(self, host_state, spec_obj):
        return -super()._weigh_object(host_state, spec_obj)
