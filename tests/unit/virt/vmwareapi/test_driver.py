"""VMwareVCDriver's behaviour when vCenter is not configured or not there
(a closed loopback port); everything else runs against nova-vcsim in
tests/functional/vmwareapi."""

import pytest

from nova import exception
from nova import objects
from nova.virt import driver as virt_driver
from nova.virt.vmwareapi import driver as vmdriver
from nova.virt.vmwareapi import session as vmsession
from tests.unit.virt.vmwareapi.conftest import make_instance


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(vmsession.time, 'sleep', lambda seconds: None)


def test_loads_by_its_short_name(conf):
    drv = virt_driver.load_compute_driver(None, 'vmwareapi.VMwareVCDriver')
    assert isinstance(drv, vmdriver.VMwareVCDriver)


def test_refuses_to_start_without_the_connection_options(conf):
    conf.clear_override('cluster_name', group='vmware')
    conf.set_override('host_password', None, group='vmware')
    try:
        with pytest.raises(exception.InvalidConfiguration) as err:
            vmdriver.VMwareVCDriver(None)
        assert 'host_password, cluster_name' in str(err.value)
    finally:
        conf.set_override('cluster_name', 'C0', group='vmware')


def test_unreachable_vcenter_at_start_up_keeps_the_service_running(conf, monkeypatch):
    # No conductor in this tier: the service record is not there yet, as at a first start.
    def no_record(context, host):
        raise exception.ComputeHostNotFound(host=host)
    objects.register_all()
    monkeypatch.setattr(objects.Service, 'get_by_compute_host', no_record)
    drv = vmdriver.VMwareVCDriver(None)
    drv.init_host('compute-1')  # does not raise
    assert drv.session.connected is False
    assert drv.get_available_nodes(refresh=True) == []
    assert drv.get_nodenames_by_uuid() == {}
    with pytest.raises(exception.HypervisorUnavailable):
        drv.get_available_resource('anything')
    with pytest.raises(exception.HypervisorUnavailable):
        drv.get_info(make_instance())
    image = objects.ImageMeta.from_dict({'id': 'c0ffee00-0000-4000-8000-000000000001',
                                         'disk_format': 'vmdk', 'properties': {}})
    with pytest.raises(exception.InstanceDeployFailure) as err:
        drv.spawn(None, make_instance(), image, [], None, None)
    assert 'vCenter 127.0.0.1:9 unreachable' in str(err.value)


def test_host_wide_actions_are_not_supported(conf):
    drv = vmdriver.VMwareVCDriver(None)
    for call in (lambda: drv.set_host_enabled(True), lambda: drv.host_power_action('reboot'),
                 lambda: drv.host_maintenance_mode('h', True), drv.get_host_uptime,
                 lambda: drv.pause(make_instance())):
        with pytest.raises(NotImplementedError):
            call()
