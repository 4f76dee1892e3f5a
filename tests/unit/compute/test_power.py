"""The compute manager's power operations hand the driver the server's cached
network info: a driver that starts the guest again (hard reboot, power on,
resume) plugs its VIFs anew, which it cannot do from an empty list."""

import types

from nova.compute import power
from nova import objects

VIF = {'id': 'port-1', 'type': 'ovs', 'address': 'fa:16:3e:00:00:01'}


class _Driver(object):
    def __init__(self):
        self.seen = []

    def power_on(self, context, instance, network_info, **kw):
        self.seen.append(('power_on', network_info))

    def resume(self, context, instance, network_info, **kw):
        self.seen.append(('resume', network_info))


def _manager():
    driver = _Driver()
    return types.SimpleNamespace(driver=driver, _settle=lambda *args: None), driver


def _instance():
    objects.register_all()
    instance = objects.Instance(uuid='0d6b9a54-98e4-4a38-8b33-1f3c8f6d2a71')
    instance.info_cache = objects.InstanceInfoCache(instance_uuid=instance.uuid,
                                                    network_info=[VIF])
    return instance


def test_power_on_and_resume_get_the_cached_network_info():
    manager, driver = _manager()
    power.PowerOperations.start_instance.__wrapped__(manager, None, _instance())
    power.PowerOperations.resume_instance.__wrapped__(manager, None, _instance())
    assert [name for name, _ in driver.seen] == ['power_on', 'resume']
    assert all([vif['id'] for vif in network_info] == ['port-1']
               for _, network_info in driver.seen)
