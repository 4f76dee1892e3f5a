"""Helpers for groups that configure a keystoneauth1 client.

Several groups ([placement], [neutron], [glance], ...) describe how Nova talks to
another OpenStack service.  keystoneauth1 owns those option definitions; these
helpers register them consistently and give the sample generator the same view
upstream operators know (auth plugin options included, version pins left out).
"""

import copy

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

# The adapter's version pins are registered so keystoneauth's loader can read
# them, but they are not advertised: Nova decides API versions itself.
_HIDDEN_ADAPTER_OPTS = ('version', 'min-version', 'max-version')

# Auth plugins whose options are shown in the sample for most groups.
DEFAULT_AUTH_PLUGINS = ('password', 'v2password', 'v3password')


def adapter_opts(service_type):
    """Adapter options with Nova's defaults for one service type."""
    opts = ks_loading.get_adapter_conf_options(include_deprecated=False)
    cfg.set_defaults(opts, service_type=service_type,
                     valid_interfaces=['internal', 'public'])
    return opts


def register_session(conf, group):
    ks_loading.register_session_conf_options(conf, group)


def register_auth(conf, group):
    ks_loading.register_auth_conf_options(conf, group)


def register_adapter(conf, group, service_type):
    conf.register_opts(adapter_opts(service_type), group=group)


def auth_plugin_opts(plugins=DEFAULT_AUTH_PLUGINS):
    """The union of the named auth plugins' options, first definition wins."""
    seen = set()
    result = []
    for plugin in plugins:
        for opt in ks_loading.get_auth_plugin_conf_options(plugin):
            if opt.dest not in seen:
                seen.add(opt.dest)
                result.append(opt)
    return result


def list_ksa_opts(session=True, auth_plugins=DEFAULT_AUTH_PLUGINS,
                  service_type=None):
    """Options shown in the sample for a keystoneauth group.

    ``auth_plugins=None`` means the group has no auth section;
    ``service_type=None`` means it has no adapter section.
    """
    opts = []
    if session:
        opts += ks_loading.get_session_conf_options()
    if auth_plugins is not None:
        opts += ks_loading.get_auth_common_conf_options()
        opts += auth_plugin_opts(auth_plugins)
    if service_type is not None:
        opts += [o for o in adapter_opts(service_type)
                 if o.name not in _HIDDEN_ADAPTER_OPTS]
    return [copy.copy(o) for o in opts]
