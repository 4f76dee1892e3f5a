"""[database] (cell databases) and [api_database] (the API database).

Both groups take oslo.db's option set.  [database] is registered by oslo.db
itself and listed under its own ``oslo.db`` generator namespace; [api_database]
is a private copy so the two databases can be tuned independently.
"""

import copy

from oslo_config import cfg
from oslo_db import options as oslo_db_options

api_db_group = cfg.OptGroup(
    'api_database', title='API database options',
    help='Connection to the API database, which holds data shared by all '
         'cells (flavors, cell mappings, request specs, quotas, ...).  It '
         'takes the same options as [database].')


def _api_db_opts():
    # Deep copies: defaults set on one group must not leak into the other,
    # and oslo.db's legacy aliases ([DEFAULT]/sql_connection, ...) belong to
    # [database] only.
    opts = copy.deepcopy(oslo_db_options.database_opts)
    for opt in opts:
        opt.deprecated_opts = []
    return opts


api_db_opts = _api_db_opts()


def register_opts(conf):
    oslo_db_options.set_defaults(conf)
    conf.register_group(api_db_group)
    conf.register_opts(api_db_opts, group=api_db_group)


def list_opts():
    # [database] is listed by oslo.db's own namespace.
    return {api_db_group: api_db_opts}
