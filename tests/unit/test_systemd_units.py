"""Checks on the systemd units shipped in etc/systemd/.

Packagers install these units unchanged, so a typo in one only shows up on
someone's host at boot. ``systemd-analyze verify`` catches it here instead.
verify refuses a unit whose ExecStart binary does not exist, and the units
name ``/usr/bin/<script>`` as a distribution would, so each unit is verified
from a temporary copy pointing at the console scripts of the environment that
runs the tests.
"""

import configparser
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

REPO = pathlib.Path(__file__).resolve().parents[2]
UNIT_DIR = REPO / "etc" / "systemd"
UNITS = sorted(UNIT_DIR.glob("*.service"))
INSTALL_PREFIX = "/usr/bin/"
# Operator tools run by hand, never as services.
NOT_DAEMONS = {"nova-manage", "nova-status"}


def _console_scripts():
    with open(REPO / "pyproject.toml", "rb") as f:
        return set(tomllib.load(f)["project"]["scripts"])


def _read_unit(path):
    # strict=False: systemd allows repeated keys such as Wants= and After=.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def _exec_start(path):
    return _read_unit(path)["Service"]["ExecStart"].split()


def _scripts_dir():
    """Where this interpreter's environment installs console scripts."""
    return pathlib.Path(sysconfig.get_path("scripts"))


def test_units_exist_for_every_daemon():
    daemons = _console_scripts() - NOT_DAEMONS
    shipped = {unit.stem for unit in UNITS}
    assert daemons, "pyproject.toml declares no console scripts"
    assert daemons <= shipped, "daemons without a unit: %s" % sorted(daemons - shipped)


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_runs_its_declared_console_script(unit):
    argv = _exec_start(unit)
    assert argv[0].startswith(INSTALL_PREFIX), argv[0]
    script = argv[0][len(INSTALL_PREFIX):]
    assert script in _console_scripts(), "%s is not a console script" % script
    assert script == unit.stem, "unit name and script differ"
    assert argv[1:3] == ["--config-file", "/etc/nova/nova.conf"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_service_settings(unit):
    service = _read_unit(unit)["Service"]
    assert service["Type"] == "simple"  # the daemons do not call sd_notify
    assert service["User"] == "nova"
    assert service["Group"] == "nova"
    assert service["Restart"] == "on-failure"
    assert _read_unit(unit)["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_analyze_verify(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package 'systemd')")
    script = _scripts_dir() / _exec_start(unit)[0][len(INSTALL_PREFIX):]
    assert os.access(script, os.X_OK), (
        "%s is missing: install the project (pip install -e .) into %s"
        % (script, sys.prefix))

    copy = tmp_path / unit.name
    copy.write_text(unit.read_text().replace(INSTALL_PREFIX, str(_scripts_dir()) + "/"))
    env = dict(os.environ, SYSTEMD_LOG_LEVEL="info", SYSTEMD_LOG_COLOR="0",
               SYSTEMD_PAGER="", LC_ALL="C")
    result = subprocess.run([analyze, "verify", str(copy)], env=env,
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # verify only warns about unknown keys or bad values; treat any remark
    # about our own unit as a failure too. Lines about the host are ignored.
    about_unit = [line for line in output.splitlines()
                  if unit.name in line or str(tmp_path) in line]
    assert not about_unit, "\n".join(about_unit)
