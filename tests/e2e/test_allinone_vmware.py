"""``tools/allinone up --virt vmware`` as an operator runs it, then a user's
session with the openstack CLI: nova-compute drives the simulated vCenter
(nova-vcsim), and every step is checked on the simulator's side too, read
through the vSphere API with pyVmomi."""

import json
import os
import pathlib
import ssl
import time

import pytest

from tests.e2e import user_flows
from tests.e2e.test_allinone import _free_offset
from tests.e2e.test_allinone import allinone
from tests.e2e.test_allinone import cloud  # noqa: F401 (fixture)
from tools import vcsim

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


class VCenter(object):
    """The simulator of a state directory, as an administrator's script sees it."""

    def __init__(self, state_dir):
        from pyVim import connect
        settings = json.load(open(state_dir / 'allinone.json'))
        self.state_dir = state_dir
        context = ssl.create_default_context(
            cafile=str(state_dir / 'vcsim' / 'nova-vcsim.pem'))
        self.si = connect.SmartConnect(host='127.0.0.1', port=settings['ports']['vcsim'],
                                       user=vcsim.USERNAME, pwd=vcsim.PASSWORD,
                                       sslContext=context)
        self.content = self.si.RetrieveContent()

    def cluster(self):
        from pyVmomi import vim
        hosts = self.content.rootFolder.childEntity[0].hostFolder.childEntity
        return next(e for e in hosts if isinstance(e, vim.ClusterComputeResource))

    def vm(self, server_id):
        datacenter = self.content.rootFolder.childEntity[0]
        return self.content.searchIndex.FindByUuid(datacenter, server_id, True, True)

    def folder(self, server_id):
        """The server's folder in the datastore's directory (the simulator's
        datastores are local directories, named by their URL)."""
        store = next(d for d in self.cluster().datastore if d.name == vcsim.DATASTORE)
        return pathlib.Path(store.summary.url) / server_id


def _wait(state_dir, name, status, timeout=180):
    deadline = time.monotonic() + timeout
    while True:
        shown = user_flows.osc(state_dir, 'server show', name)
        if shown['status'] == status and not shown.get('OS-EXT-STS:task_state'):
            return shown
        assert time.monotonic() < deadline and shown['status'] != 'ERROR', shown
        time.sleep(0.5)


def test_vmware_cloud_through_the_openstack_cli(cloud):  # noqa: F811
    up = allinone(cloud, 'up', '--virt', 'vmware', '--port-offset', str(_free_offset()))
    assert 'vCenter simulator (cluster DC0_C0)' in up.stdout
    conf = open(cloud / 'nova.conf').read()
    assert 'compute_driver = vmwareapi.VMwareVCDriver' in conf
    assert 'cluster_name = DC0_C0' in conf
    vcenter = VCenter(cloud)

    [hypervisor] = user_flows.osc(cloud, 'hypervisor list')
    assert hypervisor['Hypervisor Type'] == 'VMware vCenter Server'
    # 2.88 left the resource figures to Placement; 2.87 still shows them.
    shown = user_flows.osc(cloud, '--os-compute-api-version 2.87 hypervisor show',
                           hypervisor['ID'])
    cluster = vcenter.cluster()
    assert shown['hypervisor_hostname'].startswith(cluster._moId + '.')
    assert shown['vcpus'] == cluster.summary.numCpuThreads == 6
    assert shown['memory_mb'] == 3 * (4294430720 // 1024 ** 2)  # three 4 GiB hosts

    server = user_flows.osc(cloud, 'server create --flavor m1.tiny --image cirros-vmdk',
                            '--nic none --wait vm')
    assert server['status'] == 'ACTIVE', server
    vm = vcenter.vm(server['id'])
    assert vm.runtime.powerState == 'poweredOn'
    assert (vm.config.hardware.numCPU, vm.config.hardware.memoryMB) == (1, 512)
    assert vm.resourcePool == cluster.resourcePool
    assert vcenter.folder(server['id']).is_dir()

    for command, status, power in (('stop', 'SHUTOFF', 'poweredOff'),
                                   ('start', 'ACTIVE', 'poweredOn'),
                                   ('reboot', 'ACTIVE', 'poweredOn'),
                                   ('reboot --hard', 'ACTIVE', 'poweredOn')):
        user_flows.osc_plain(cloud, 'server', command, 'vm')
        _wait(cloud, 'vm', status)
        assert vm.runtime.powerState == power, command

    image = user_flows.osc(cloud, 'server image create --name vm-snap --wait vm')
    shown = user_flows.osc(cloud, 'image show', image['id'])
    assert shown['status'] == 'active' and shown['disk_format'] == 'vmdk', shown

    user_flows.osc_plain(cloud, 'server delete --wait vm')
    assert vcenter.vm(server['id']) is None
    assert not vcenter.folder(server['id']).exists()
    assert user_flows.osc(cloud, 'server list') == []
