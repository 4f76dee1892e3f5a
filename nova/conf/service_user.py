"""[service_user]: Nova's own credentials sent along with user tokens."""

from oslo_config import cfg

from nova.conf import ksa

service_user_group = cfg.OptGroup(
    'service_user', title='Service user token options',
    help='Credentials of Nova\'s service user.  Sending a service token with '
         'requests to other services lets them accept a user token that '
         'expired during a long operation.')

service_user_opts = [
    cfg.BoolOpt('send_service_user_token', default=False,
                help='Add an X-Service-Token header to requests Nova makes '
                     'on a user\'s behalf.'),
]


def register_opts(conf):
    conf.register_group(service_user_group)
    conf.register_opts(service_user_opts, group=service_user_group)
    ksa.register_session(conf, service_user_group.name)
    ksa.register_auth(conf, service_user_group.name)


def list_opts():
    return {service_user_group: service_user_opts + ksa.list_ksa_opts()}
