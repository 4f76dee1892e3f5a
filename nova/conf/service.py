"""[DEFAULT] options for service liveness and periodic tasks."""

from oslo_config import cfg

service_opts = [
    cfg.IntOpt('report_interval', default=10,
               help='Seconds between two heartbeats a service writes to the '
                    'service group backend.  Keep it below '
                    'service_down_time.'),
    cfg.IntOpt('service_down_time', default=60,
               help='Seconds without a heartbeat after which a service is '
                    'considered down.'),
    cfg.BoolOpt('periodic_enable', default=True,
                help='Run the periodic tasks of this service.'),
    cfg.IntOpt('periodic_fuzzy_delay', default=60, min=0,
               help='Upper bound in seconds of a random delay before the '
                    'first periodic task runs, so services started together '
                    'do not hit the database together.'),
]


def register_opts(conf):
    conf.register_opts(service_opts)


def list_opts():
    return {'DEFAULT': service_opts}
