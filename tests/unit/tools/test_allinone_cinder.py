"""tools/allinone --volumes ceph: Ceph's and Cinder's configs and choices, no daemons."""

import configparser

import pytest

from tools.allinone_lib import ceph
from tools.allinone_lib import cinder
from tools.allinone_lib import cli
from tools.allinone_lib import install
from tools.allinone_lib import layout
from tools.allinone_lib import nova


def _state(tmp_path, name='aio', volumes='ceph', virt='libvirt', offset=0):
    state = layout.State(str(tmp_path / name))
    state.initialise(noauth=False, virt=virt, port_offset=offset)
    state.settings.update(db_backend='mysql', volumes=volumes, host='node1')
    return state


def _ini(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return parser


def test_ceph_conf_keeps_everything_in_the_state_dir(tmp_path):
    state = _state(tmp_path, offset=400)
    conf = _ini(ceph.write_config(state))
    glob = conf['global']
    assert glob['mon_host'] == '[v2:127.0.0.1:3700,v1:127.0.0.1:7189]'
    assert glob['fsid'] == state.settings['ceph']['fsid']
    assert glob['osd_pool_default_size'] == '1'
    assert glob['mon_allow_pool_size_one'] == 'true'
    for key in ('keyring', 'run_dir', 'pid_file', 'admin_socket'):
        assert glob[key].startswith(ceph.ceph_dir(state)), key
    assert conf['mon']['mon_data'].startswith(ceph.ceph_dir(state))
    assert conf['osd']['bluestore_block_create'] == 'true'
    assert conf['osd']['bluestore_block_path'].startswith(ceph.ceph_dir(state))


def test_two_clouds_get_their_own_cluster_and_secret(tmp_path):
    one, two = _state(tmp_path, 'one'), _state(tmp_path, 'two', offset=100)
    assert ceph.settings(one)['fsid'] != ceph.settings(two)['fsid']
    assert ceph.settings(one)['secret_uuid'] != ceph.settings(two)['secret_uuid']
    assert ceph.mon_ports(one) != ceph.mon_ports(two)
    # chosen once: a later call keeps them
    assert ceph.settings(layout.State(one.path))['fsid'] == ceph.settings(one)['fsid']


def test_daemons_stay_in_the_foreground_under_the_clouds_conf(tmp_path):
    state = _state(tmp_path)
    argv = ceph._daemon_cmd(state, ceph.OSD, '0')
    assert argv[:2] == [ceph.OSD, '-f']
    assert ceph.conf_path(state) in argv


def test_cinder_conf_uses_rbd_on_the_clouds_cluster(tmp_path):
    state = _state(tmp_path, offset=400)
    cinder.write_config(state)
    conf = _ini(cinder.conf_file(state))
    default = conf['DEFAULT']
    assert default['osapi_volume_listen_port'] == str(8776 + 400)
    assert default['transport_url'] == nova.transport_url(state)
    assert default['enabled_backends'] == cinder.BACKEND
    assert default['glance_api_servers'] == state.url('glance')
    assert conf['database']['connection'] == cinder.database_url(state)
    assert cinder.database_name(state) == state.settings['db_prefix'] + 'cinder'
    assert conf['keystone_authtoken']['username'] == 'cinder'
    assert conf['service_user']['send_service_user_token'] == 'true'
    backend = conf[cinder.BACKEND]
    assert backend['volume_driver'] == 'cinder.volume.drivers.rbd.RBDDriver'
    assert backend['rbd_pool'] == 'volumes'
    assert backend['rbd_ceph_conf'] == ceph.conf_path(state)
    assert backend['rbd_user'] == ceph.CLIENT
    assert backend['rbd_secret_uuid'] == state.settings['ceph']['secret_uuid']
    rootwrap = _ini(default['rootwrap_config'])
    assert rootwrap['DEFAULT']['filters_path'].startswith(cinder.VENV)


def test_nova_conf_names_cinder_and_the_libvirt_secret(tmp_path):
    state = _state(tmp_path)
    conf = _ini(nova.write_config(state))
    assert conf['cinder']['catalog_info'] == 'volumev3::publicURL'
    assert conf['cinder']['os_region_name'] == layout.REGION
    assert conf['cinder']['username'] == 'nova'
    assert conf['libvirt']['rbd_user'] == ceph.CLIENT
    assert conf['libvirt']['rbd_secret_uuid'] == state.settings['ceph']['secret_uuid']


def test_nova_conf_without_volumes_has_no_cinder_section(tmp_path):
    conf = _ini(nova.write_config(_state(tmp_path, volumes='none')))
    assert not conf.has_section('cinder')
    assert 'rbd_secret_uuid' not in conf['libvirt']


def test_sqlite_clouds_cannot_have_cinder(tmp_path):
    state = _state(tmp_path)
    state.settings['db_backend'] = 'sqlite'
    with pytest.raises(RuntimeError, match='MariaDB'):
        cinder.setup_database(state, print)


def test_ceph_packages_only_for_volumes():
    without = {name for name, _ in install.apt_packages(with_libvirt=True)}
    with_volumes = {name for name, _ in install.apt_packages(with_libvirt=False,
                                                             with_volumes=True)}
    assert {'ceph-mon', 'ceph-mgr', 'ceph-osd', 'python3-rbd',
            'qemu-block-extra'} <= with_volumes - without


def test_volumes_choice_is_kept_and_needs_keystone(tmp_path, capsys):
    state = _state(tmp_path, volumes='none')
    state.save()
    with pytest.raises(SystemExit, match='--volumes none'):
        cli.main(['--state-dir', state.path, 'up', '--volumes', 'ceph'])
    fresh = tmp_path / 'fresh'
    with pytest.raises(SystemExit, match='needs Keystone'):
        cli.main(['--state-dir', str(fresh), 'up', '--noauth', '--volumes', 'ceph'])


def test_cinder_is_in_the_catalog_under_both_types():
    assert {service_type for _name, service_type in cinder.CATALOG} == {
        'volumev3', 'block-storage'}


def test_cinder_privsep_starts_without_sudo(tmp_path):
    state = _state(tmp_path)
    cinder.write_config(state)
    conf = _ini(cinder.conf_file(state))
    for section in ('cinder_sys_admin', 'privsep_osbrick'):
        helper = conf[section]['helper_command'].split()
        assert helper[0] == cinder.venv_bin('privsep-helper')
        assert helper[1:] == ['--config-file', cinder.conf_file(state)]


def test_nova_sends_its_service_token(tmp_path):
    conf = _ini(nova.write_config(_state(tmp_path)))
    assert conf['service_user']['send_service_user_token'] == 'true'
    assert conf['service_user']['username'] == 'nova'
