"""Process start-up configuration: parse nova.conf and the command line once."""

import warnings

from oslo_log import log
from oslo_db import options as db_options

import nova.conf
from nova import rpc
from nova import version

CONF = nova.conf.CONF

_DEFAULT_LOG_LEVELS = [
    'amqp=WARN', 'amqplib=WARN', 'boto=WARN', 'qpid=WARN', 'sqlalchemy=WARN',
    'suds=INFO', 'oslo.messaging=INFO', 'oslo_messaging=INFO', 'iso8601=WARN',
    'requests.packages.urllib3.connectionpool=WARN', 'urllib3.connectionpool=WARN',
    'websocket=WARN', 'requests.packages.urllib3.util.retry=WARN',
    'urllib3.util.retry=WARN', 'keystonemiddleware=WARN', 'routes.middleware=WARN',
    'stevedore=WARN', 'taskflow=WARN', 'keystoneauth=WARN', 'oslo.cache=INFO',
    'oslo_policy=INFO', 'dogpile.core.dogpile=INFO', 'glanceclient=WARN',
    'oslo.privsep.daemon=INFO', 'kombu=WARN', 'alembic=WARN',
]

_logging_registered = False


def silence_library_warnings():
    """oslo libraries still import eventlet helpers; we never use them."""
    warnings.filterwarnings('ignore', message='.*[Ee]ventlet.*')
    warnings.filterwarnings('ignore', category=DeprecationWarning, module='oslo_utils')


def parse_args(argv, default_config_files=None, configure_db=True, init_rpc=True):
    """Parse ``argv`` (argv[0] is the program name) into CONF and set up logging and RPC."""
    global _logging_registered
    silence_library_warnings()
    if not _logging_registered:
        log.register_options(CONF)
        _logging_registered = True
    log.set_defaults(default_log_levels=_DEFAULT_LOG_LEVELS)
    db_options.set_defaults(CONF)
    rpc.set_defaults(control_exchange='nova')
    CONF(argv[1:], project='nova', version=version.version_string(),
         default_config_files=default_config_files)
    if init_rpc:
        rpc.init(CONF)
    if configure_db:
        from nova.db.api import engine as api_engine
        from nova.db.main import engine as main_engine
        main_engine.configure(CONF)
        api_engine.configure(CONF)
