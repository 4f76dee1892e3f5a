"""nova-manage's command line: the installed console script, parsing, stubs."""

import os
import subprocess

import pytest

from nova.cmd import manage


def _script(venv_bin, name):
    path = os.path.join(venv_bin, name)
    if not os.path.exists(path):
        pytest.skip('%s is not installed in this environment' % name)
    return path


def _console(venv_bin, deployment, *argv, name='nova-manage'):
    return subprocess.run(
        [_script(venv_bin, name), '--config-file', str(deployment.conf_path)] + list(argv),
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_console_script_builds_and_lists_cells(deployment, venv_bin):
    assert _console(venv_bin, deployment, 'api_db', 'sync').returncode == 0
    setup = _console(venv_bin, deployment, 'cell_v2', 'simple_cell_setup')
    assert setup.returncode == 1  # no compute host is reporting yet
    assert 'No hosts found to map to cell, exiting.' in setup.stdout
    listed = _console(venv_bin, deployment, 'cell_v2', 'list_cells')
    assert listed.returncode == 0
    rows = [line for line in listed.stdout.splitlines() if line.startswith('| cell')]
    assert [row.split('|')[1].strip() for row in rows] == ['cell0', 'cell1']
    assert 'Traceback' not in listed.stdout + listed.stderr


def test_console_script_unknown_category_is_usage_error(deployment, venv_bin):
    result = _console(venv_bin, deployment, 'no_such_category')
    assert result.returncode == 2
    assert "invalid choice: 'no_such_category'" in result.stderr
    result = _console(venv_bin, deployment, 'cell_v2', 'no_such_command')
    assert result.returncode == 2
    assert 'usage: nova-manage cell_v2' in result.stderr


def test_console_script_bad_database_url_is_one_line(deployment, venv_bin, tmp_path):
    deployment.api_db = tmp_path / 'absent' / 'api.db'
    deployment.write_conf()
    result = _console(venv_bin, deployment, 'cell_v2', 'list_cells')
    assert result.returncode == 255
    assert result.stdout.splitlines() == [
        line for line in result.stdout.splitlines() if line.startswith('An error has occurred')]
    assert len(result.stdout.splitlines()) == 1
    assert 'Traceback' not in result.stdout + result.stderr


def test_console_script_missing_config_file(venv_bin, tmp_path):
    result = subprocess.run(
        [_script(venv_bin, 'nova-manage'), '--config-file', str(tmp_path / 'nope.conf'),
         'db', 'version'], capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert 'configuration error' in result.stderr
    assert 'Traceback' not in result.stderr


def test_nova_status_console_script(deployment, venv_bin):
    deployment.run('api_db', 'sync')
    result = _console(venv_bin, deployment, 'upgrade', 'check', name='nova-status')
    assert result.returncode == 2
    assert 'Check: Cells v2' in result.stdout and 'Result: Failure' in result.stdout


def test_version_and_bash_completion(deployment):
    code, out = deployment.run('version')
    assert code == 0 and out.strip()
    code, out = deployment.run('bash-completion')
    assert code == 0
    assert out.split() == list(manage.CATEGORIES)


@pytest.mark.parametrize('argv', [
    ['placement', 'ensure_instance_has_no_vgpu_request'],
    ['placement', 'ensure_instance_has_no_cyborg_device_profile_request'],
    ['libvirt', 'get_machine_type', 'uuid'],
    ['libvirt', 'update_machine_type', 'uuid', 'q35', '--force'],
    ['libvirt', 'list_unset_machine_type'],
    ['image_property', 'show', 'i', 'hw_machine_type'],
    ['image_property', 'set', 'i', '--property', 'hw_disk_bus=virtio'],
    ['limits', 'migrate_to_unified_limits', '--dry-run'],
    ['db', 'archive_deleted_rows', '--max_rows', '10'],
])
def test_unimplemented_commands_say_so(deployment, argv):
    code, out = deployment.run(*argv)
    assert code == 69
    assert out == 'nova-manage %s %s: not implemented in this release\n' % (argv[0], argv[1])


def test_every_upstream_command_exists():
    listed = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'shared',
                          'reference', 'nova-manage-commands.tsv')
    if not os.path.exists(listed):
        pytest.skip('upstream command list not available')
    from nova.cmd import manage_common
    with open(listed) as handle:
        for line in handle:
            category, command = line.split()
            commands = dict(manage_common._commands(manage.CATEGORIES[category]))
            assert command in commands, (category, command)
