"""[key_manager] plus castellan's [barbican], [barbican_service_user] and
[vault]: where encryption keys (encrypted volumes, vTPM, ...) are kept.

castellan owns most of these options; Nova adds ``fixed_key`` and picks
Barbican as the default backend.
"""

from oslo_config import cfg

from castellan import options as castellan_opts

key_manager_group = cfg.OptGroup(
    'key_manager', title='Key manager options',
    help='Key manager backend and Nova\'s fixed key for testing.')

key_manager_opts = [
    cfg.StrOpt('fixed_key', secret=True,
               deprecated_group='keymgr',
               help='Hex-encoded key returned for every request by the '
                    'fixed-key backend.  For testing only: every secret '
                    'then shares one key.'),
]


def register_opts(conf):
    castellan_opts.set_defaults(conf)
    conf.register_group(key_manager_group)
    conf.register_opts(key_manager_opts, group=key_manager_group)


def list_opts():
    # castellan also lists a [key_manager] group; merge ours into it so the
    # sample shows one section.
    opts = {key_manager_group.name: list(key_manager_opts)}
    for group, group_opts in castellan_opts.list_opts():
        opts.setdefault(group, [])
        opts[group] += group_opts
    return opts
