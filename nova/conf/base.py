"""General [DEFAULT] options: privilege helpers, temp files and concurrency."""

from oslo_config import cfg

base_opts = [
    cfg.IntOpt('password_length', default=12, min=0,
               help='Length of the admin passwords Nova generates for new '
                    'or rebuilt servers.'),
    cfg.StrOpt('instance_usage_audit_period', default='month',
               regex=r'^(hour|month|day|year)(@([0-9]+))?$',
               help='Period covered by instance usage audits: hour, day, month '
                    'or year, optionally followed by "@N" to shift the start '
                    '(for example "month@15").'),
    cfg.BoolOpt('use_rootwrap_daemon', default=False,
                help='Run privileged commands through a long-lived rootwrap '
                     'daemon instead of starting sudo for each command.'),
    cfg.StrOpt('rootwrap_config', default='/etc/nova/rootwrap.conf',
               help='Path to the rootwrap configuration file used to run '
                    'commands as root.'),
    cfg.StrOpt('tempdir',
               help='Directory for temporary files.  Unset means the system '
                    'default temporary directory.'),
    cfg.IntOpt('default_green_pool_size', default=1000, min=100,
               deprecated_for_removal=True,
               deprecated_since='32.0.0',
               deprecated_reason='Only meaningful in eventlet mode, which is '
                                 'being retired.',
               help='Size of the shared green thread pool when a service '
                    'runs under eventlet.'),
    cfg.StrOpt('concurrency_backend', default='auto',
               choices=[('auto', 'use the default of each service'),
                        ('threading', 'native Python threads'),
                        ('eventlet', 'eventlet green threads (deprecated)')],
               help='Concurrency model a service starts with.'),
    cfg.IntOpt('default_thread_pool_size', default=10, min=1,
               help='Size of the shared thread pool in native threading '
                    'mode.'),
    cfg.IntOpt('cell_worker_thread_pool_size', default=5, min=1,
               help='Number of cells queried in parallel by scatter-gather '
                    'operations (such as listing servers) in native '
                    'threading mode.'),
    cfg.IntOpt('thread_pool_statistic_period', default=-1, min=-1,
               help='Minimum seconds between two log lines with a thread '
                    'pool\'s statistics.  0 logs on every submission, -1 '
                    'disables the logging.'),
    cfg.IntOpt('manager_shutdown_timeout', default=160, min=0,
               help='Seconds a service manager gets to finish in-flight work '
                    'during a graceful shutdown.  Keep it below '
                    '[DEFAULT]/graceful_shutdown_timeout.'),
]


def register_opts(conf):
    conf.register_opts(base_opts)


def list_opts():
    return {'DEFAULT': base_opts}
