"""Request bodies of /os-quota-class-sets/{id}, per microversion."""

from nova.api.openstack.compute.schemas import quota_sets

COMMON = quota_sets.COMMON
INJECTED = quota_sets.INJECTED
NETWORK = quota_sets.NETWORK
SERVER_GROUPS = quota_sets.SERVER_GROUPS

update = quota_sets.body('quota_class_set', COMMON + INJECTED + NETWORK)
update_v250 = quota_sets.body('quota_class_set', COMMON + INJECTED + SERVER_GROUPS)
update_v257 = quota_sets.body('quota_class_set', COMMON + SERVER_GROUPS)
