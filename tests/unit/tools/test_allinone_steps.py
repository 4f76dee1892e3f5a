"""tools/allinone's install steps: timed, and a failure names the step,
shows the command, its last lines and what to do."""

import json
import sys

import pytest

from tools.allinone_lib import bootstrap
from tools.allinone_lib import steps


def test_a_step_that_works_says_how_long_it_took(tmp_path, capsys):
    assert steps.run('say hello', [sys.executable, '-c', 'print("hello")'], 'nothing',
                     str(tmp_path)) is True
    out = capsys.readouterr().out
    assert 'allinone: say hello ...' in out
    assert 'allinone: say hello: done in ' in out
    assert 'hello\n' not in out  # the command's output goes to the step's log
    assert any(p.name.startswith('install-say-hello') for p in tmp_path.iterdir())


def test_a_failed_step_names_itself_with_command_output_and_hint(tmp_path, capsys):
    script = 'import sys\nfor i in range(40): print("line", i)\nsys.exit(3)'
    with pytest.raises(steps.StepFailed) as err:
        steps.run('install things', [[sys.executable, '-c', 'pass'],
                                     [sys.executable, '-c', script]],
                  'try again later', str(tmp_path))
    assert err.value.code == 1
    assert err.value.step == 'install things'
    text = capsys.readouterr().err
    assert 'FAILED step "install things"' in text
    assert 'command: %s -c' % sys.executable in text
    assert '| line 39' in text and '| line 10\n' not in text
    assert 'exit status 3' in text
    assert 'what to do: try again later' in text


def test_an_optional_step_warns_and_carries_on(tmp_path, capsys):
    assert steps.run('optional', [sys.executable, '-c', 'raise SystemExit(1)'], 'x',
                     str(tmp_path), check=False) is False
    assert 'warning: optional failed' in capsys.readouterr().out


def test_a_missing_program_is_a_failed_step(tmp_path, capsys):
    with pytest.raises(steps.StepFailed):
        steps.run('missing', ['/nonexistent/program'], 'install it', str(tmp_path))
    assert 'exit status 127' in capsys.readouterr().err


def test_bootstrap_takes_the_virt_driver_from_the_arguments_or_the_state(tmp_path):
    state = tmp_path / 'state'
    args = bootstrap._parse(['--state-dir', str(state), 'up', '--virt', 'fake'])
    assert args.command == 'up' and bootstrap.wanted_virt(args) == 'fake'
    args = bootstrap._parse(['--state-dir', str(state), 'up', '--port-offset', '3'])
    assert bootstrap.wanted_virt(args) == 'auto'
    state.mkdir()
    (state / 'allinone.json').write_text(json.dumps({'virt': 'fake'}))
    assert bootstrap.wanted_virt(args) == 'fake'
    assert bootstrap._parse(['--state-dir', str(state), 'down', '--purge']).command == 'down'
