"""[placement]: how Nova reaches the Placement service (keystoneauth1)."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'placement'

placement_group = cfg.OptGroup(
    'placement', title='Placement service options',
    help='Credentials and endpoint used to talk to the Placement API.')


def register_opts(conf):
    conf.register_group(placement_group)
    ksa.register_session(conf, placement_group.name)
    ksa.register_auth(conf, placement_group.name)
    ksa.register_adapter(conf, placement_group.name, DEFAULT_SERVICE_TYPE)


def list_opts():
    return {placement_group: ksa.list_ksa_opts(
        service_type=DEFAULT_SERVICE_TYPE)}
