"""tools/allinone's bookkeeping: settings, pid files, daemon start-up checks."""

import os
import stat
import sys

import pytest

from tools.allinone_lib import cli
from tools.allinone_lib import layout
from tools.allinone_lib import nova
from tools.allinone_lib import procs


def test_default_state_uses_the_plain_names(monkeypatch, tmp_path):
    monkeypatch.setattr(layout, 'DEFAULT_STATE_DIR', str(tmp_path / 'default'))
    state = layout.State(str(tmp_path / 'default'))
    settings = state.initialise(noauth=False, virt='fake', port_offset=0)
    assert settings['db_prefix'] == 'allinone_'
    assert settings['vhost'] == 'nova-allinone'
    assert state.url('keystone') == 'http://127.0.0.1:5000'
    assert state.port('nova-api') == 8774


def test_other_state_dirs_get_their_own_names_and_keep_them(tmp_path):
    state = layout.State(str(tmp_path / 'one'))
    settings = state.initialise(noauth=True, virt='fake', port_offset=100)
    assert settings['db_prefix'].startswith('allinone_') and settings['db_prefix'] != \
        'allinone_'
    assert settings['vhost'].startswith('nova-allinone-')
    assert state.port('glance') == 9392
    other = layout.State(str(tmp_path / 'two')).initialise(noauth=True, virt='fake',
                                                         port_offset=0)
    assert other['vhost'] != settings['vhost']
    # A later up keeps the first choices, whatever it is asked.
    again = layout.State(str(tmp_path / 'one'))
    assert again.initialise(noauth=False, virt='fake', port_offset=0) == settings
    assert again.noauth


def test_guest_names_are_unique_per_deployment(monkeypatch, tmp_path):
    monkeypatch.setattr(layout, 'DEFAULT_STATE_DIR', str(tmp_path / 'default'))
    default = layout.State(str(tmp_path / 'default'))
    default.initialise(noauth=True, virt='fake', port_offset=0)
    other = layout.State(str(tmp_path / 'other'))
    other.initialise(noauth=True, virt='fake', port_offset=0)
    assert nova.instance_name_template(default) == 'instance-%08x'
    tag = other.settings['vhost'].rsplit('-', 1)[1]
    assert nova.instance_name_template(other) == 'instance-%s-%%08x' % tag


def _state(tmp_path):
    state = layout.State(str(tmp_path / 'state'))
    state.initialise(noauth=True, virt='fake', port_offset=0)
    state.makedirs()
    return state


def test_start_find_and_stop_a_process(tmp_path):
    state = _state(tmp_path)
    pid, started = procs.start(state, 'sleeper', ['sleep', '60'], marker='sleep')
    assert started
    assert procs.running_pid(state, 'sleeper') == pid
    assert procs.start(state, 'sleeper', ['sleep', '60'], marker='sleep') == (pid, False)
    assert procs.recorded_names(state) == ['sleeper']
    assert procs.stop(state, 'sleeper', timeout=10) == pid
    assert procs.running_pid(state, 'sleeper') is None
    assert procs.recorded_names(state) == []


def test_a_recycled_pid_is_not_ours(tmp_path):
    state = _state(tmp_path)
    with open(procs.pid_file(state, 'glance'), 'w') as f:
        f.write('%d\nglance.wsgi.api:application\n' % os.getpid())
    assert procs.running_pid(state, 'glance') is None
    assert procs.stop(state, 'glance') is None  # and it is never signalled
    assert not os.path.exists(procs.pid_file(state, 'glance'))


def _script(tmp_path, name, body):
    path = tmp_path / name
    path.write_text('#!%s\nimport sys, time\n%s\n' % (sys.executable, body))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_start_daemons_tells_unbuilt_from_broken_from_running(tmp_path, monkeypatch):
    state = _state(tmp_path)
    scripts = {
        'nova-api': _script(tmp_path, 'nova-api', "print('nova-api: the API is %s.', "
                            "file=sys.stderr); sys.exit(2)" % nova.NOT_BUILT),
        'nova-conductor': _script(tmp_path, 'nova-conductor', 'time.sleep(60)'),
    }
    monkeypatch.setattr(nova, 'python_bin', lambda name: scripts[name])
    result = nova.start_daemons(state, ['nova-conductor', 'nova-api'], grace=2)
    assert result['nova-api'] == ('not built', None)
    assert result['nova-conductor'][0] == 'started'
    assert nova.start_daemons(state, ['nova-conductor'])['nova-conductor'][0] == 'running'
    procs.stop(state, 'nova-conductor', timeout=10)

    scripts['nova-scheduler'] = _script(tmp_path, 'nova-scheduler',
                                        "print('boom'); sys.exit(1)")
    with pytest.raises(RuntimeError, match='nova-scheduler exited with 1'):
        nova.start_daemons(state, ['nova-scheduler'], grace=10)


def test_status_and_down_without_a_cloud(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_status:
        cli.main(['--state-dir', str(tmp_path / 'none'), 'status'])
    assert exit_status.value.code == 1
    assert 'nothing at' in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_status:
        cli.main(['--state-dir', str(tmp_path / 'none'), 'down'])
    assert exit_status.value.code == 0


def test_sqlite_urls_without_mariadb(tmp_path, monkeypatch):
    state = _state(tmp_path)
    monkeypatch.setattr(nova, 'mariadb_available', lambda: False)
    urls = nova.database_urls(state)
    assert urls['nova_cell1'] == 'sqlite:///%s' % state.sub('nova_cell1.sqlite')
    assert layout.State(state.path).settings['db_backend'] == 'sqlite'


def test_a_second_cell_gets_its_own_database_vhost_host_and_conf(tmp_path, monkeypatch):
    from tools.allinone_lib import cells
    state = _state(tmp_path)
    state.settings.update(cells=2, virt='fake', fake_nodes=4)
    monkeypatch.setattr(nova, 'mariadb_available', lambda: False)
    urls = nova.database_urls(state)
    assert urls['nova_cell2'] == 'sqlite:///%s' % state.sub('nova_cell2.sqlite')
    nova.write_config(state)
    cells.write_configs(state)
    with open(cells.conf_path(state, 2)) as f:
        text = f.read()
    assert 'host = %s-cell2\n' % nova.host_name(state) in text
    assert 'transport_url = %s\n' % nova.transport_url(state, cells.vhost(state, 2)) in text
    assert cells.vhost(state, 2) != state.settings['vhost']
    assert '[database]\nconnection = %s\n' % urls['nova_cell2'] in text
    assert urls['nova_cell1'] not in text
    assert '[api_database]\nconnection = %s\n' % urls['nova_api'] in text
    assert cells.daemon_names(state) == ['nova-conductor-cell2', 'nova-compute-cell2']
    cmd, marker = cells.compute_command(state, cells.conf_path(state, 2))
    assert cmd[1:5] == ['-m', cells.FAKE_NODES_MODULE, '--nodes', '4']
    assert marker in ' '.join(cmd)


def test_a_single_host_cloud_resizes_on_its_host(tmp_path, monkeypatch):
    import configparser
    monkeypatch.setattr(nova, 'mariadb_available', lambda: False)

    def same_host(**settings):
        state = _state(tmp_path / str(len(settings)))
        state.settings.update(virt='fake', **settings)
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(nova.write_config(state))
        return conf['DEFAULT'].get('allow_resize_to_same_host')

    assert same_host() == 'True'
    assert same_host(computes=2) is None
    assert same_host(cells=2, fake_nodes=1) is None


def test_keystone_keeps_what_each_token_reads_in_memory(tmp_path, monkeypatch):
    import configparser
    from tools.allinone_lib import keystone
    monkeypatch.setattr(nova, 'mariadb_available', lambda: False)
    state = _state(tmp_path)
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(keystone.write_config(state))
    assert conf['cache']['enabled'] == 'true'
    assert conf['cache']['backend'] == 'dogpile.cache.memory'
    assert conf['identity']['password_hash_rounds'] == '4'
    # A later up starts Keystone on the config this checkout writes, not an older one.
    path = keystone.write_config(state)
    with open(path, 'w') as f:
        f.write('[DEFAULT]\n')
    monkeypatch.setattr(procs, 'start', lambda *args, **kwargs: (1, True))
    monkeypatch.setattr(procs, 'wait_serving', lambda *args, **kwargs: None)
    assert keystone.start(state) == (1, True)
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(path)
    assert conf['cache']['enabled'] == 'true'


def test_a_socket_connected_to_itself_is_no_listener():
    import socket
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen()
        assert procs.port_open(listener.getsockname()[1])
        with socket.create_connection(listener.getsockname()) as client:
            assert not procs.connected_to_itself(client)
    with socket.socket() as sock:
        # TCP simultaneous open: a connect from the port it targets succeeds
        # with nothing listening, as a poll from an ephemeral port can
        sock.bind(('127.0.0.1', 0))
        sock.connect(sock.getsockname())
        assert procs.connected_to_itself(sock)


def test_an_answer_that_is_not_http_is_no_service():
    import socket
    import threading
    with socket.socket() as server:
        server.bind(('127.0.0.1', 0))
        server.listen()

        def answer_garbage():
            conn, _ = server.accept()
            with conn:
                conn.recv(1024)
                conn.sendall(b'GET / HTTP/1.1\r\n\r\n')
        thread = threading.Thread(target=answer_garbage)
        thread.start()
        assert procs.http_answers('http://127.0.0.1:%d/' % server.getsockname()[1]) is False
        thread.join(5)
