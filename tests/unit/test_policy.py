"""Rule names, default check strings and documented operations match upstream's.

The reference is tests/data/policy-rules.tsv (upstream Nova's generated
policy sample as a table: rule, default check string, operations joined
with `` | ``; an action's name follows its path in parentheses).
"""

import csv
import pathlib

from oslo_policy import policy as oslo_policy
import pytest

import nova.conf
from nova import policies
from nova import policy
from tests.unit.policy.conftest import enforcer  # noqa: F401

CONF = nova.conf.CONF
REFERENCE = pathlib.Path(__file__).resolve().parents[1] / 'data' / 'policy-rules.tsv'


def _reference():
    with REFERENCE.open() as handle:
        rows = list(csv.reader(handle, delimiter='\t'))[1:]
    return {row[0]: (row[1], row[2] if len(row) > 2 else '') for row in rows}


REF = _reference()
DEFAULTS = {rule.name: rule for rule in policies.list_rules()}


def _operations(rule):
    return ' | '.join('%s %s' % (op['method'], op['path'])
                      for op in getattr(rule, 'operations', None) or [])


def test_same_rule_names():
    assert len(REF) == 214
    assert sorted(DEFAULTS) == sorted(REF)
    assert len(policies.list_rules()) == len(DEFAULTS), 'a rule is registered twice'


@pytest.mark.parametrize('name', sorted(REF))
def test_default_check_string_and_operations(name):
    check_str, operations = REF[name]
    rule = DEFAULTS[name]
    assert rule.check_str == check_str
    assert _operations(rule) == operations


def test_api_rules_are_documented_and_project_scoped():
    for name, rule in DEFAULTS.items():
        if not REF[name][1]:
            continue  # the base rules other rules are built from
        assert isinstance(rule, oslo_policy.DocumentedRuleDefault), name
        assert rule.scope_types == ['project'], name
        assert rule.description, name


def test_new_defaults_and_scope_are_enforced(enforcer):  # noqa: F811
    # upstream's current defaults: new defaults on; oslo.policy 6 always enforces
    # scope (its enforce_scope option is gone), so a system-scoped token is refused
    from nova import context
    assert CONF.oslo_policy.enforce_new_defaults is True
    assert CONF.oslo_policy.policy_file == 'policy.yaml'
    assert getattr(CONF.oslo_policy, 'enforce_scope', True) is True
    system_admin = context.RequestContext(user_id='a', roles=['admin'], system_scope='all')
    project_admin = context.RequestContext(user_id='a', project_id='p', roles=['admin'])
    assert not system_admin.can('os_compute_api:os-services:list', fatal=False)
    assert project_admin.can('os_compute_api:os-services:list', fatal=False)


def test_policy_file_overrides_a_default(tmp_path):
    from nova import context
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"os_compute_api:os-keypairs:index": "role:auditor"\n'
                           '"os_compute_api:servers:show": "!"\n')
    if getattr(CONF, '_args', None) is None:
        CONF([], project='nova', default_config_files=[])
    CONF.set_override('policy_file', str(policy_file), group='oslo_policy')
    policy.reset()
    try:
        auditor = context.RequestContext(user_id='u', project_id='p', roles=['auditor'])
        admin = context.RequestContext(user_id='a', project_id='p', roles=['admin'])
        assert auditor.can('os_compute_api:os-keypairs:index', fatal=False)
        assert not admin.can('os_compute_api:os-keypairs:index', fatal=False)
        assert not admin.can('os_compute_api:servers:show', fatal=False)
        # untouched rules keep their defaults
        assert admin.can('os_compute_api:servers:index', fatal=False)
    finally:
        CONF.clear_override('policy_file', group='oslo_policy')
        policy.reset()


def test_unregistered_rule_is_an_error(enforcer):  # noqa: F811
    from nova import context
    ctxt = context.RequestContext(user_id='a', project_id='p', roles=['admin'])
    with pytest.raises(oslo_policy.PolicyNotRegistered):
        ctxt.can('os_compute_api:no-such-rule')


def test_refusal_is_a_403_exception(enforcer):  # noqa: F811
    from nova import context
    from nova import exception
    reader = context.RequestContext(user_id='r', project_id='p', roles=['reader'])
    with pytest.raises(exception.PolicyNotAuthorized) as info:
        reader.can('os_compute_api:os-services:list')
    assert info.value.code == 403
    assert 'os_compute_api:os-services:list' in info.value.format_message()
