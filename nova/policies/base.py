"""Base policy rules the per-resource rules build on, and a helper to declare them."""

from oslo_policy import policy

RULE_ADMIN_OR_OWNER = 'rule:admin_or_owner'
RULE_ADMIN_API = 'rule:admin_api'
RULE_ANY = '@'
RULE_NOBODY = '!'

ADMIN = 'rule:context_is_admin'
PROJECT_MANAGER = 'rule:project_manager_api'
PROJECT_MEMBER = 'rule:project_member_api'
PROJECT_READER = 'rule:project_reader_api'
PROJECT_MANAGER_OR_ADMIN = 'rule:project_manager_or_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
SERVICE_OR_ADMIN = 'rule:service_or_admin'

_BASE = [
    ('context_is_admin', 'role:admin',
     'Who counts as a cloud administrator.'),
    ('admin_or_owner', 'is_admin:True or project_id:%(project_id)s',
     'Legacy rule: an administrator or the owning project (no longer used by defaults).'),
    ('admin_api', 'is_admin:True',
     'Legacy rule: administrators only (no longer used by defaults).'),
    ('project_manager_api', 'role:manager and project_id:%(project_id)s',
     'A manager of the project owning the resource.'),
    ('project_member_api', 'role:member and project_id:%(project_id)s',
     'A member of the project owning the resource.'),
    ('project_reader_api', 'role:reader and project_id:%(project_id)s',
     'A reader of the project owning the resource.'),
    ('service_api', 'role:service',
     'Another OpenStack service acting with the service role.'),
    ('project_manager_or_admin', 'rule:project_manager_api or rule:context_is_admin',
     'A project manager, or an administrator.'),
    ('project_member_or_admin', 'rule:project_member_api or rule:context_is_admin',
     'A project member, or an administrator.'),
    ('project_reader_or_admin', 'rule:project_reader_api or rule:context_is_admin',
     'A project reader, or an administrator.'),
    ('service_or_admin', 'rule:service_api or rule:context_is_admin',
     'A service user, or an administrator.'),
]


def documented(name, check_str, description, operations, scope_types=('project',)):
    """A DocumentedRuleDefault from ``operations`` given as "METHOD /path" strings."""
    ops = []
    for op in operations:
        method, _, path = op.partition(' ')
        ops.append({'method': method, 'path': path})
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=ops, scope_types=list(scope_types))


def list_rules():
    return [policy.RuleDefault(name, check, description=desc) for name, check, desc in _BASE]
