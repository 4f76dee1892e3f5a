"""[DEFAULT] options locating Nova's code and state directories."""

import os

from oslo_config import cfg

path_opts = [
    cfg.StrOpt('pybasedir',
               default=os.path.abspath(
                   os.path.join(os.path.dirname(__file__), '..', '..')),
               sample_default="<the package install location>",
               help='Directory the nova Python package is installed under; '
                    'used to locate bundled templates.'),
    cfg.StrOpt('state_path', default='$pybasedir',
               help='Top-level directory for Nova\'s persistent state '
                    '(instances, mounts, ...).'),
]


def basedir_def(*args):
    """A default value rooted at $pybasedir."""
    return os.path.join('$pybasedir', *args)


def state_path_def(*args):
    """A default value rooted at $state_path."""
    return os.path.join('$state_path', *args)


def register_opts(conf):
    conf.register_opts(path_opts)


def list_opts():
    return {'DEFAULT': path_opts}
