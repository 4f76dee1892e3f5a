"""Policy enforcement: upstream rule names and defaults, overridable in policy.yaml.

The enforcer is built once per process from ``[oslo_policy]`` (``policy_file``
and friends); ``authorize`` raises ``PolicyNotAuthorized`` (a 403 in the API).
"""

import threading

from oslo_config import cfg
from oslo_log import log as logging
from oslo_policy import opts as policy_opts
from oslo_policy import policy

import nova.conf
from nova import exception
from nova import policies

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_ENFORCER = None
_LOCK = threading.Lock()

policy_opts.set_defaults(CONF, policy_file='policy.yaml')


def reset():
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def init(policy_file=None, rules=None, suppress_deprecation_warnings=True):
    """Create the process's enforcer (idempotent) and return it."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = policy.Enforcer(CONF, policy_file=policy_file, rules=rules)
            enforcer.suppress_deprecation_warnings = suppress_deprecation_warnings
            enforcer.suppress_default_change_warnings = True
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            _ENFORCER = enforcer
        return _ENFORCER


def _config_args(argv):
    """Only the ``--config-file``/``--config-dir`` arguments of an oslopolicy-* command line."""
    wanted = ('--config-file', '--config-dir')
    picked = []
    args = iter(argv)
    for arg in args:
        name, sep, value = arg.partition('=')
        if name in wanted:
            picked.extend([name, value] if sep else [name, next(args, '')])
    return picked


def get_enforcer():
    """Entry point for oslopolicy-* tools: read nova's config files, then hand out the enforcer.

    The tools' own options (``--namespace``, ``--output-file``...) are not
    nova's, so only the config file arguments are passed on.
    """
    import sys
    conf_args = _config_args(sys.argv[1:]) if 'oslopolicy' in sys.argv[0] else []
    try:
        CONF(conf_args, project='nova')
    except cfg.Error:
        CONF([], project='nova')
    return init()


def default_target(context):
    return {'project_id': context.project_id, 'user_id': context.user_id}


def authorize(context, action, target=None, do_raise=True, exc=None):
    """True if ``context`` may perform ``action`` on ``target``; raise 403 otherwise."""
    enforcer = init()
    credentials = context.to_policy_values()
    if target is None:
        target = default_target(context)
    if exc is None:
        exc = exception.PolicyNotAuthorized
    try:
        return enforcer.authorize(action, target, credentials, do_raise=do_raise,
                                  exc=exc, action=action)
    except policy.PolicyNotRegistered:
        LOG.exception('Policy %s is not registered', action)
        raise
    except policy.InvalidScope:
        if do_raise:
            raise exc(action=action)
        return False


def check_is_admin(context):
    """Does the context satisfy ``context_is_admin``?"""
    enforcer = init()
    return enforcer.authorize('context_is_admin', {}, context.to_policy_values())


def register_rules(enforcer):
    enforcer.register_defaults(policies.list_rules())
