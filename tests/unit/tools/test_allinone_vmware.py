"""tools/allinone --virt vmware: the nova.conf a simulated vCenter gets."""

from tests.unit.tools.test_allinone_virt import _conf
from tests.unit.tools.test_allinone_virt import _state
from tools import vcsim
from tools.allinone_lib import cli
from tools.allinone_lib import virt
from tools.allinone_lib import vmware


def test_vmware_conf_points_at_the_simulator(tmp_path):
    state = _state(tmp_path, 'vmware')
    conf = _conf(state)
    assert conf['DEFAULT']['compute_driver'] == 'vmwareapi.VMwareVCDriver'
    section = conf['vmware']
    assert section['host_ip'] == '127.0.0.1'
    assert section['host_port'] == str(state.port('vcsim')) == '8989'
    assert section['cluster_name'] == vcsim.CLUSTER
    assert section['ca_file'] == vmware.simulator(state).cert_file
    assert section['ca_file'].startswith(state.sub('vcsim'))
    assert not conf.has_section('libvirt')
    assert virt.console_proxies(state) == ()


def test_the_simulator_port_follows_the_offset(tmp_path):
    state = _state(tmp_path, 'vmware')
    state.settings['ports'] = {'nova-api': 8774 + 1400}
    assert state.port('vcsim') == 8989 + 1400


def test_cli_accepts_vmware(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(cli, 'up', lambda state, args: seen.setdefault('virt', args.virt))
    try:
        cli.main(['--state-dir', str(tmp_path / 'aio'), 'up', '--virt', 'vmware'])
    except SystemExit:
        pass
    assert seen == {'virt': 'vmware'}
