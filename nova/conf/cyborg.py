"""[cyborg]: how Nova reaches the Accelerator service."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'accelerator'

cyborg_group = cfg.OptGroup(
    'cyborg', title='Accelerator service options',
    help='Endpoint of Cyborg, used for servers requesting accelerators.')


def register_opts(conf):
    conf.register_group(cyborg_group)
    ksa.register_session(conf, cyborg_group.name)
    ksa.register_adapter(conf, cyborg_group.name, DEFAULT_SERVICE_TYPE)


def list_opts():
    return {cyborg_group: ksa.list_ksa_opts(
        auth_plugins=None, service_type=DEFAULT_SERVICE_TYPE)}
