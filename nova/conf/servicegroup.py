"""[DEFAULT] option choosing where service heartbeats are stored."""

from oslo_config import cfg

servicegroup_opts = [
    cfg.StrOpt('servicegroup_driver', default='db',
               choices=[('db', 'heartbeats in the database'),
                        ('mc', 'heartbeats in memcached')],
               help='Backend that stores service heartbeats.'),
]


def register_opts(conf):
    conf.register_opts(servicegroup_opts)


def list_opts():
    return {'DEFAULT': servicegroup_opts}
