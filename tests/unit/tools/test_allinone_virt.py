"""tools/allinone --virt: choosing the driver, the nova.conf it gets, its packages."""

import configparser

import pytest

from tools import libvirt_host
from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import nova
from tools.allinone_lib import virt


def _state(tmp_path, chosen):
    state = layout.State(str(tmp_path / 'aio'))
    state.initialise(noauth=True, virt=chosen, port_offset=0)
    state.settings['db_backend'] = 'sqlite'
    return state


def _conf(state):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(nova.write_config(state))
    return parser


def test_fake_conf_has_no_libvirt_sections(tmp_path, monkeypatch):
    monkeypatch.delenv('NOVA_ALLINONE_BUILD_TIMEOUT', raising=False)
    conf = _conf(_state(tmp_path, 'fake'))
    assert conf['DEFAULT']['compute_driver'] == 'fake.FakeDriver'
    assert not conf.has_section('libvirt')
    # Builds a fault lost end in ERROR well within tools/bench/faults.py's settle time.
    assert conf['DEFAULT']['instance_build_timeout'] == '90'


def test_the_build_timeout_can_be_set_for_a_test_cloud(tmp_path, monkeypatch):
    monkeypatch.setenv('NOVA_ALLINONE_BUILD_TIMEOUT', '20')
    assert _conf(_state(tmp_path, 'fake'))['DEFAULT']['instance_build_timeout'] == '20'


def test_libvirt_conf(tmp_path, monkeypatch):
    monkeypatch.delenv('NOVA_ALLINONE_BUILD_TIMEOUT', raising=False)
    monkeypatch.setattr(libvirt_host, 'kvm_usable', lambda: False)
    monkeypatch.delenv('NOVA_LIBVIRT_VIRT_TYPE', raising=False)
    state = _state(tmp_path, 'libvirt')
    conf = _conf(state)
    assert conf['DEFAULT']['compute_driver'] == 'libvirt.LibvirtDriver'
    assert conf['DEFAULT']['instance_build_timeout'] == '900'
    assert conf['libvirt']['virt_type'] == 'qemu'
    assert conf['libvirt']['instances_path'] == state.sub('nova', 'instances')
    assert conf['libvirt']['instances_path'].startswith(state.path)
    assert conf['vnc']['server_listen'] == '127.0.0.1'
    assert conf['vnc']['server_proxyclient_address'] == '127.0.0.1'


def test_libvirt_conf_names_the_console_proxies_on_offset_ports(tmp_path, monkeypatch):
    monkeypatch.setattr(libvirt_host, 'kvm_usable', lambda: False)
    monkeypatch.setattr(virt, 'NOVNC_DIR', str(tmp_path))
    monkeypatch.setattr(virt, 'SPICE_HTML5_DIR', str(tmp_path))
    state = layout.State(str(tmp_path / 'aio'))
    state.initialise(noauth=True, virt='libvirt', port_offset=100)
    state.settings['db_backend'] = 'sqlite'
    conf = _conf(state)
    assert conf['vnc']['novncproxy_base_url'] == 'http://127.0.0.1:6180/vnc_lite.html'
    assert conf['vnc']['novncproxy_host'] == '127.0.0.1'
    assert conf['vnc']['novncproxy_port'] == '6180'
    assert conf['serial_console']['enabled'] == 'True'
    assert conf['serial_console']['base_url'] == 'ws://127.0.0.1:6183/'
    assert conf['serial_console']['proxyclient_address'] == '127.0.0.1'
    assert conf['serial_console']['serialproxy_port'] == '6183'
    assert conf['spice']['enabled'] == 'True'
    assert conf['spice']['html5proxy_base_url'] == 'http://127.0.0.1:6182/spice_auto.html'
    assert conf['spice']['server_listen'] == '127.0.0.1'
    assert conf['spice']['server_proxyclient_address'] == '127.0.0.1'
    assert virt.console_proxies(state) == ('nova-serialproxy', 'nova-novncproxy',
                                           'nova-spicehtml5proxy')


def test_no_spice_without_its_web_client(tmp_path, monkeypatch):
    monkeypatch.setattr(libvirt_host, 'kvm_usable', lambda: False)
    monkeypatch.setattr(virt, 'SPICE_HTML5_DIR', str(tmp_path / 'absent'))
    monkeypatch.setattr(virt, 'NOVNC_DIR', str(tmp_path / 'absent'))
    state = _state(tmp_path, 'libvirt')
    conf = _conf(state)
    assert not conf.has_section('spice')
    assert virt.console_proxies(state) == ('nova-serialproxy',)
    assert virt.console_proxies(_state(tmp_path / 'f', 'fake')) == ()


def test_state_from_before_the_proxies_gets_their_ports_with_its_offset(tmp_path):
    state = layout.State(str(tmp_path / 'aio'))
    state.initialise(noauth=True, virt='libvirt', port_offset=7)
    del state.settings['ports']['nova-serialproxy']
    state.save()
    again = layout.State(state.path)
    assert again.port('nova-serialproxy') == 6090
    assert layout.State(state.path).settings['ports']['nova-serialproxy'] == 6090


def test_choose_fake_touches_nothing(monkeypatch):
    monkeypatch.setattr(virt, 'libvirt_unavailable_reason',
                        lambda: pytest.fail('fake must not probe libvirt'))
    assert virt.choose('fake', print) == 'fake'


def test_auto_falls_back_to_fake_with_the_reason(monkeypatch):
    said = []
    monkeypatch.setattr(virt, 'ensure_libvirt_python', lambda say: None)
    monkeypatch.setattr(virt, 'libvirt_unavailable_reason', lambda: 'no QEMU here')
    assert virt.choose('auto', said.append) == 'fake'
    assert said == ['using the fake virt driver: no QEMU here']
    with pytest.raises(RuntimeError, match='--virt libvirt: no QEMU here'):
        virt.choose('libvirt', said.append)


def test_auto_picks_libvirt_when_a_guest_can_run(monkeypatch):
    monkeypatch.setattr(virt, 'ensure_libvirt_python', lambda say: None)
    monkeypatch.setattr(virt, 'libvirt_unavailable_reason', lambda: None)
    assert virt.choose('auto', print) == 'libvirt'


def test_libvirt_packages_only_when_libvirt_may_be_used():
    everything = [name for name, _optional in install.apt_packages(with_libvirt=True)]
    fake_only = [name for name, _optional in install.apt_packages(with_libvirt=False)]
    assert 'qemu-system-x86' in everything
    assert 'syslinux' in everything
    assert 'qemu-system-x86' not in fake_only
    assert 'rabbitmq-server' in fake_only


def test_changing_virt_of_an_existing_cloud_is_refused(tmp_path):
    from tools.allinone_lib import cli
    _state(tmp_path, 'fake').save()
    with pytest.raises(SystemExit) as exc:
        cli.main(['--state-dir', str(tmp_path / 'aio'), 'up', '--virt', 'libvirt',
                  '--skip-install'])
    assert 'set up with --virt fake' in str(exc.value)


def test_libvirt_detection_looks_where_nova_compute_loads_the_driver():
    from nova.virt import driver
    assert driver._DRIVER_ALIASES[virt.DRIVERS['libvirt']] == \
        'nova.virt.libvirt.driver.LibvirtDriver'
    assert virt.libvirt_driver_missing() is None
