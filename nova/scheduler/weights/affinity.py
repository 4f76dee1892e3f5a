"""Soft (anti-)affinity: prefer, without requiring, hosts by group members they hold."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


class _SoftAffinityWeigherBase(weights.BaseHostWeigher):
    policy = None
    option = None

    def weight_multiplier(self, host_state):
        return utils.get_weight_multiplier(host_state, self.option,
                                           getattr(CONF.filter_scheduler, self.option))

    def _weigh_object(self, host_state, spec_obj):
        group = spec_obj.instance_group if spec_obj.obj_attr_is_set('instance_group') else None
        if group is None or group.policy != self.policy:
            return 0
        members = set(group.members or [])
        return len(members & set(host_state.instances))


class ServerGroupSoftAffinityWeigher(_SoftAffinityWeigherBase):
    policy = 'soft-affinity'
    option = 'soft_affinity_weight_multiplier'


class ServerGroupSoftAntiAffinityWeigher(_SoftAffinityWeigherBase):
    policy = 'soft-anti-affinity'
    option = 'soft_anti_affinity_weight_multiplier'

    def _weigh_object(self, host_state, spec_obj):
        return -super()._weigh_object(host_state, spec_obj)
