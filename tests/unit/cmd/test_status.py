"""nova-status upgrade check against SQLite files and a tiny local Placement stand-in."""

import http.server
import json
import threading

import pytest

from nova.cmd import status
from tests.fixtures import manage_cli

_PLACEMENT_CONF = """
[placement]
auth_type = none
endpoint_override = http://127.0.0.1:{port}
[service_user]
send_service_user_token = {send_token}
"""


class _VersionsHandler(http.server.BaseHTTPRequestHandler):
    max_version = '1.39'

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = json.dumps({'versions': [{'id': 'v1.0', 'min_version': '1.0',
                                         'max_version': self.max_version,
                                         'status': 'CURRENT', 'links': []}]}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def placement_root():
    """An HTTP server on loopback answering Placement's version document."""
    handler = type('Handler', (_VersionsHandler,), {})
    server = http.server.HTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler
    server.shutdown()
    server.server_close()


def _run_status(deployment, extra):
    conf_text = deployment.conf_path.read_text()
    deployment.conf_path.write_text(conf_text + extra)
    manage_cli.forget_process_state()
    deployment.capsys.readouterr()
    code = status.main(['nova-status', '--config-file', str(deployment.conf_path),
                        'upgrade', 'check'])
    return code, deployment.capsys.readouterr().out


def _results(out):
    """{check name: result word} from the upgradecheck table."""
    results, name = {}, None
    for line in out.splitlines():
        text = line.strip('| ').strip()
        if text.startswith('Check: '):
            name = text[len('Check: '):]
        elif text.startswith('Result: '):
            results[name] = text[len('Result: '):]
    return results


@pytest.fixture
def status_env(deployment):
    return deployment


def test_all_checks_pass(status_env, placement_root):
    server, _ = placement_root
    status_env.setup_cells()
    code, out = _run_status(status_env, _PLACEMENT_CONF.format(
        port=server.server_port, send_token='true'))
    assert code == 0, out
    assert _results(out) == {'Cells v2': 'Success', 'Placement API': 'Success',
                             'Service User Token Configuration': 'Success'}


def test_missing_cells_old_placement_and_no_service_token_fail(status_env, placement_root):
    server, handler = placement_root
    handler.max_version = '1.20'
    status_env.run('api_db', 'sync')
    code, out = _run_status(status_env, _PLACEMENT_CONF.format(
        port=server.server_port, send_token='false'))
    assert code == 2
    assert _results(out) == {'Cells v2': 'Failure', 'Placement API': 'Failure',
                             'Service User Token Configuration': 'Failure'}
    assert 'Placement API version 1.39 needed, you have 1.20.' in out
    assert 'simple_cell_setup' in out


def test_unmapped_compute_nodes_fail(status_env, placement_root):
    server, _ = placement_root
    status_env.setup_cells()
    status_env.add_compute_node('host1')
    code, out = _run_status(status_env, _PLACEMENT_CONF.format(
        port=server.server_port, send_token='true'))
    assert code == 2
    assert _results(out)['Cells v2'] == 'Failure'
    assert 'discover_hosts' in out


def test_unreachable_placement_fails(status_env):
    status_env.setup_cells()
    code, out = _run_status(status_env, _PLACEMENT_CONF.format(port=1, send_token='true'))
    assert code == 2
    assert _results(out)['Placement API'] == 'Failure'


def test_unreachable_api_database_is_an_error(status_env, tmp_path):
    status_env.api_db = tmp_path / 'missing' / 'api.db'
    status_env.write_conf()
    code, out = _run_status(status_env, '')
    assert code == 255
