"""The oslopolicy-* tools find nova's rules and enforcer through the entry points."""

import pathlib
import subprocess
import sys

import yaml

from nova import policies

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = pathlib.Path(sys.executable).parent


def _run(tool, *args, cwd=ROOT):
    result = subprocess.run([str(BIN / tool), *args], cwd=cwd, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_sample_generator_from_the_shipped_config(tmp_path):
    out = tmp_path / 'policy.yaml.sample'
    _run('oslopolicy-sample-generator', '--config-file',
         'etc/nova/nova-policy-generator.conf', '--output-file', str(out))
    text = out.read_text()
    # every default is there, commented out, with its documented operations
    for rule in policies.list_rules():
        assert '#"%s": "%s"' % (rule.name, rule.check_str) in text
    assert '# POST  /servers/{server_id}/action (os-resetState)' in text
    assert yaml.safe_load(text) is None  # all commented: the sample changes nothing


def test_sample_generator_by_namespace():
    text = _run('oslopolicy-sample-generator', '--namespace', 'nova')
    assert '#"os_compute_api:servers:show": "rule:project_reader_or_admin"' in text


def test_policy_generator_shows_effective_rules_with_overrides(tmp_path):
    (tmp_path / 'policy.yaml').write_text('"os_compute_api:os-keypairs:index": "role:auditor"\n')
    (tmp_path / 'nova.conf').write_text(
        '[oslo_policy]\npolicy_file = %s\n' % (tmp_path / 'policy.yaml'))
    text = _run('oslopolicy-policy-generator', '--namespace', 'nova',
                '--config-file', str(tmp_path / 'nova.conf'), cwd=tmp_path)
    effective = yaml.safe_load(text)
    assert effective['os_compute_api:os-keypairs:index'] == 'role:auditor'
    assert effective['os_compute_api:servers:show'] == 'rule:project_reader_or_admin'
    assert len(effective) == len(policies.list_rules())
