"""[DEFAULT] options naming availability zones."""

from oslo_config import cfg

availability_zone_opts = [
    cfg.StrOpt('internal_service_availability_zone', default='internal',
               help='Availability zone reported for services that do not '
                    'host instances (scheduler, conductor, ...).'),
    cfg.StrOpt('default_availability_zone', default='nova',
               help='Availability zone of compute hosts that are not in an '
                    'aggregate carrying an availability_zone key.'),
    cfg.StrOpt('default_schedule_zone',
               help='Availability zone given to a server whose create request '
                    'names none.  Unset lets the scheduler pick any host.'),
]


def register_opts(conf):
    conf.register_opts(availability_zone_opts)


def list_opts():
    return {'DEFAULT': availability_zone_opts}
