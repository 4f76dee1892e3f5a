"""[keystone]: how Nova reaches the Identity service (to check projects)."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'identity'

keystone_group = cfg.OptGroup(
    'keystone', title='Identity service options',
    help='Credentials and endpoint Nova uses to query Keystone.')


def register_opts(conf):
    conf.register_group(keystone_group)
    ksa.register_session(conf, keystone_group.name)
    ksa.register_auth(conf, keystone_group.name)
    ksa.register_adapter(conf, keystone_group.name, DEFAULT_SERVICE_TYPE)


def list_opts():
    return {keystone_group: ksa.list_ksa_opts(
        service_type=DEFAULT_SERVICE_TYPE)}
