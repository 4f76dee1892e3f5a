"""tools/allinone --network neutron: names, configs and choices, no daemons."""

import configparser
import ipaddress

import pytest

from tools.allinone_lib import cli
from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import neutron
from tools.allinone_lib import nova
from tools.allinone_lib import ovn


def _state(tmp_path, name='aio', network='neutron', offset=0):
    state = layout.State(str(tmp_path / name))
    state.initialise(noauth=False, virt='fake', port_offset=offset)
    state.settings.update(db_backend='mysql', network=network, host='node1',
                          public_cidr='172.24.77.0/24')
    return state


def _ini(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return parser


def test_default_state_dir_uses_devstacks_bridge_names(monkeypatch, tmp_path):
    monkeypatch.setattr(layout, 'DEFAULT_STATE_DIR', str(tmp_path / 'default'))
    state = _state(tmp_path, 'default')
    assert ovn.bridges(state) == ('br-int', 'br-ex')
    assert neutron.database_name(state) == 'allinone_neutron'


def test_other_state_dirs_name_bridges_after_their_tag(tmp_path):
    one, two = _state(tmp_path, 'one'), _state(tmp_path, 'two')
    assert ovn.bridges(one) != ovn.bridges(two)
    for bridge in ovn.bridges(one):
        assert len(bridge) <= 15  # a Linux interface name
        assert ovn.tag(one) in bridge
    assert neutron.database_name(one) == one.settings['db_prefix'] + 'neutron'


def test_sockets_and_daemons_live_in_the_state_dir(tmp_path):
    state = _state(tmp_path)
    assert ovn.ovs_connection(state) == 'unix:%s' % state.sub('ovs', 'db.sock')
    assert ovn.ovn_connection(state, 'sb') == 'unix:%s' % state.sub('ovn', 'ovnsb_db.sock')
    commands = ovn.commands(state)
    assert set(commands) == set(ovn.DAEMONS)
    for name, argv in commands.items():
        assert '--log-file=%s' % state.sub('logs', '%s.log' % name) in argv
        assert state.path in ovn.marker(state, name), name
        assert '--detach' not in argv and '--pidfile' not in ' '.join(argv)


def test_a_too_deep_state_dir_is_refused(tmp_path):
    state = _state(tmp_path, 'x' * 120)
    with pytest.raises(RuntimeError, match='108 bytes'):
        ovn.check_paths(state)


def test_public_network_avoids_host_networks(tmp_path, monkeypatch):
    state = _state(tmp_path)
    del state.settings['public_cidr']
    first = 5 + int(ovn.tag(state), 16) % 240
    monkeypatch.setattr(ovn, '_host_networks', lambda: [
        ipaddress.ip_network('172.24.%d.0/24' % first)])
    chosen = ovn.public_network(state)
    assert chosen == ipaddress.ip_network('172.24.%d.0/24' % (first + 1)) or first == 249
    assert state.settings['public_cidr'] == str(chosen)
    assert ovn.host_address(state) == '%s/24' % (chosen.network_address + 1)
    # kept afterwards, whatever the host has
    monkeypatch.setattr(ovn, '_host_networks', lambda: [chosen])
    assert ovn.public_network(state) == chosen


def test_nova_conf_gets_neutron_and_os_vif_sections(tmp_path):
    state = _state(tmp_path)
    conf = _ini(nova.write_config(state))
    section = conf['neutron']
    assert section['auth_type'] == 'password'
    assert section['username'] == 'nova'
    assert section['project_name'] == 'service'
    assert section['auth_url'] == state.url('keystone')
    assert section['service_metadata_proxy'] == 'true'
    assert section['metadata_proxy_shared_secret'] == state.settings['metadata_secret']
    assert section['ovs_bridge'] == ovn.bridges(state)[0]
    assert conf['os_vif_ovs']['ovsdb_connection'] == ovn.ovs_connection(state)


def test_nova_conf_without_neutron_has_no_neutron_section(tmp_path):
    conf = _ini(nova.write_config(_state(tmp_path, network='none')))
    assert not conf.has_section('neutron')
    assert not conf.has_section('os_vif_ovs')


def test_neutron_and_agent_configs(tmp_path):
    state = _state(tmp_path, offset=400)
    neutron.write_config(state)
    server = _ini(neutron.conf_files(state)[0])
    assert server['DEFAULT']['bind_port'] == str(9696 + 400)
    assert server['DEFAULT']['core_plugin'] == 'ml2'
    assert server['DEFAULT']['transport_url'] == nova.transport_url(state)
    assert server['database']['connection'].startswith(nova.MYSQL_ROOT)
    assert neutron.database_name(state) in server['database']['connection']
    assert server['keystone_authtoken']['username'] == 'neutron'
    assert server['nova']['username'] == 'nova'
    ml2 = _ini(neutron.conf_files(state)[1])
    assert ml2['ml2']['mechanism_drivers'] == 'ovn'
    assert ml2['ovn']['ovn_nb_connection'] == ovn.ovn_connection(state, 'nb')
    assert ml2['ovs']['integration_bridge'] == ovn.bridges(state)[0]
    agent = _ini(neutron.metadata_conf(state))
    assert agent['DEFAULT']['nova_metadata_port'] == str(8775 + 400)
    assert agent['DEFAULT']['metadata_proxy_shared_secret'] == \
        state.settings['metadata_secret']
    assert agent['agent']['root_helper'].startswith('env PATH=')
    assert agent['ovs']['ovsdb_connection'] == ovn.ovs_connection(state)


def test_sqlite_clouds_cannot_have_neutron(tmp_path):
    state = _state(tmp_path)
    state.settings['db_backend'] = 'sqlite'
    with pytest.raises(RuntimeError, match='MariaDB'):
        neutron.setup_database(state, print)


def test_network_packages_only_for_neutron():
    without = {name for name, _ in install.apt_packages(with_libvirt=False)}
    with_net = {name for name, _ in install.apt_packages(with_libvirt=False,
                                                         with_network=True)}
    assert {'openvswitch-switch', 'ovn-central', 'ovn-host', 'haproxy'} <= with_net - without


def test_services_venv_adds_extras_once(tmp_path, monkeypatch):
    monkeypatch.setattr(layout, 'CACHE_DIR', str(tmp_path))
    monkeypatch.setattr(layout, 'SERVICES_VENV', str(tmp_path / 'venv'))
    (tmp_path / 'venv' / 'bin').mkdir(parents=True)
    (tmp_path / 'venv' / 'bin' / 'python').write_text('')
    (tmp_path / 'venv' / install._MARKER).write_text('\n'.join(install.SERVICE_REQUIREMENTS))
    runs = []
    monkeypatch.setattr(install.steps, 'run', lambda title, cmds, *a, **kw: runs.append(cmds))
    assert install.ensure_services_venv() is False
    assert install.ensure_services_venv(extras=neutron.REQUIREMENTS) is True
    assert set(neutron.REQUIREMENTS) <= set(runs[-1][-1])
    assert install.ensure_services_venv(extras=neutron.REQUIREMENTS) is False
    assert install.ensure_services_venv() is False


def test_cli_keeps_the_network_choice(tmp_path, monkeypatch):
    state = _state(tmp_path)
    state.save()
    with pytest.raises(SystemExit, match='--network neutron'):
        cli.main(['--state-dir', state.path, 'up', '--network', 'none', '--skip-install'])


def test_cli_refuses_neutron_without_keystone(tmp_path):
    with pytest.raises(SystemExit, match='needs Keystone'):
        cli.main(['--state-dir', str(tmp_path / 'new'), 'up', '--noauth', '--network',
                  'neutron', '--skip-install'])


def test_another_clouds_vswitchd_is_reported(tmp_path, monkeypatch):
    state = _state(tmp_path)
    state.makedirs()
    monkeypatch.setattr(ovn, 'other_vswitchds', lambda state: [(42, 'ovs-vswitchd unix:x')])
    with pytest.raises(RuntimeError, match='pid 42.*one cloud with --network neutron'):
        ovn.start(state, print)
