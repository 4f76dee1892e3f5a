"""Every rule x every persona: allowed exactly when the rule's default check string says so.

The expectation comes from a small evaluator of the check-string grammar
written here (``rule:``, ``role:``, ``key:%(target)s``, ``@``, ``!``, ``and``,
``or``, ``not``, parentheses), independent of oslo.policy; the verdict under
test comes from ``RequestContext.can()``, the path every controller uses.
Personas carry the roles Keystone's implied roles give them (admin implies
manager implies member implies reader).
"""

import re

import pytest

from nova import context
from nova import policies

OWNER_PROJECT = 'owner-project'
OWNER_USER = 'owner-user'
TARGET = {'project_id': OWNER_PROJECT, 'user_id': OWNER_USER}

PERSONAS = {
    'admin': dict(user_id='admin-user', project_id='admin-project',
                  roles=['admin', 'manager', 'member', 'reader']),
    'manager': dict(user_id='manager-user', project_id=OWNER_PROJECT,
                    roles=['manager', 'member', 'reader']),
    'member': dict(user_id=OWNER_USER, project_id=OWNER_PROJECT,
                   roles=['member', 'reader']),
    'other_member': dict(user_id='other-user', project_id='other-project',
                         roles=['member', 'reader']),
    'reader': dict(user_id='reader-user', project_id=OWNER_PROJECT, roles=['reader']),
    'service': dict(user_id='nova-service', project_id='service', roles=['service']),
}

DEFAULTS = {rule.name: rule.check_str for rule in policies.list_rules()}
_TOKEN = re.compile(r'[^\s()]+:%\([^)]+\)s|\(|\)|[^\s()]+')


class _Oracle(object):
    """Evaluates a check string for one persona against TARGET."""

    def __init__(self, persona):
        self.creds = dict(persona, is_admin='admin' in persona['roles'])

    def allows(self, check_str):
        tokens = _TOKEN.findall(check_str)
        if not tokens:
            return True  # an empty check string allows everyone, as in oslo.policy
        value, rest = self._or(tokens)
        assert not rest, check_str
        return value

    def _or(self, tokens):
        value, tokens = self._and(tokens)
        while tokens and tokens[0] == 'or':
            right, tokens = self._and(tokens[1:])
            value = value or right
        return value, tokens

    def _and(self, tokens):
        value, tokens = self._not(tokens)
        while tokens and tokens[0] == 'and':
            right, tokens = self._not(tokens[1:])
            value = value and right
        return value, tokens

    def _not(self, tokens):
        if tokens[0] == 'not':
            value, tokens = self._not(tokens[1:])
            return not value, tokens
        if tokens[0] == '(':
            value, tokens = self._or(tokens[1:])
            assert tokens[0] == ')'
            return value, tokens[1:]
        return self._check(tokens[0]), tokens[1:]

    def _check(self, token):
        if token == '@':
            return True
        if token == '!':
            return False
        kind, _, match = token.partition(':')
        if kind == 'rule':
            return self.allows(DEFAULTS[match])
        if kind == 'role':
            return match.lower() in self.creds['roles']
        if match.startswith('%(') and match.endswith(')s'):
            key = match[2:-2]
            return key in TARGET and str(self.creds.get(kind)) == str(TARGET[key])
        return str(self.creds.get(kind)) == match


def _context(persona):
    return context.RequestContext(**PERSONAS[persona])


@pytest.mark.parametrize('persona', sorted(PERSONAS))
def test_every_rule_for(persona, enforcer):
    oracle = _Oracle(PERSONAS[persona])
    ctxt = _context(persona)
    wrong = []
    for name, check_str in sorted(DEFAULTS.items()):
        expected = oracle.allows(check_str)
        actual = ctxt.can(name, dict(TARGET), fatal=False)
        if actual != expected:
            wrong.append((name, check_str, expected, actual))
    assert not wrong
    assert len(DEFAULTS) == 214


# What the oracle gives for the rule families, spelled out so the oracle itself is checked.
FAMILIES = {
    'rule:context_is_admin': {'admin'},
    'rule:project_member_or_admin': {'admin', 'manager', 'member'},
    'rule:project_reader_or_admin': {'admin', 'manager', 'member', 'reader'},
    'rule:project_manager_or_admin': {'admin', 'manager'},
    'rule:service_or_admin': {'admin', 'service'},
    '(rule:context_is_admin) or user_id:%(user_id)s': {'admin', 'member'},
    '@': set(PERSONAS),
    '!': set(),
}


@pytest.mark.parametrize('check_str', sorted(FAMILIES))
def test_rule_family(check_str, enforcer):
    rules = [name for name, value in DEFAULTS.items() if value == check_str]
    assert rules, check_str
    for persona in PERSONAS:
        assert _Oracle(PERSONAS[persona]).allows(check_str) == (persona in FAMILIES[check_str])
        ctxt = _context(persona)
        for name in rules:
            assert ctxt.can(name, dict(TARGET), fatal=False) == (
                persona in FAMILIES[check_str]), (name, persona)


def test_other_project_member_is_refused_everything_owned(enforcer):
    """A member of another project passes no rule that names the owner (only '@' ones)."""
    ctxt = _context('other_member')
    allowed = sorted(name for name in DEFAULTS if ctxt.can(name, dict(TARGET), fatal=False))
    assert allowed == sorted(name for name, check in DEFAULTS.items() if check == '@')


def test_reader_cannot_change_anything(enforcer):
    """Readers pass reader rules only: no create/delete/action rule a member needs."""
    ctxt = _context('reader')
    for name, check_str in DEFAULTS.items():
        if check_str in ('rule:project_member_or_admin', 'rule:project_manager_or_admin'):
            assert not ctxt.can(name, dict(TARGET), fatal=False), name


def test_refusal_raises_forbidden(enforcer):
    from nova import exception
    with pytest.raises(exception.PolicyNotAuthorized):
        _context('reader').can('os_compute_api:servers:delete', dict(TARGET))
    assert _context('member').can('os_compute_api:servers:delete', dict(TARGET))
