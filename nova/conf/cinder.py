"""[cinder]: how Nova reaches the Block Storage service."""

from oslo_config import cfg

from nova.conf import ksa

cinder_group = cfg.OptGroup(
    'cinder', title='Block Storage service options',
    help='Credentials and endpoint of Cinder, and volume attach policy.')

cinder_opts = [
    cfg.StrOpt('catalog_info', default='volumev3::publicURL',
               regex=r'^[\w-]+:\w*:.*$',
               help='Where to find Cinder in the service catalog, as '
                    '"<service_type>:<service_name>:<interface>".'),
    cfg.StrOpt('endpoint_template',
               help='Cinder URL template with %(project_id)s, overriding '
                    'the catalog.'),
    cfg.StrOpt('os_region_name',
               help='Region to pick Cinder\'s endpoint from.'),
    cfg.IntOpt('http_retries', default=3, min=0,
               help='Extra attempts at an idempotent request to Cinder '
                    'after a connection failure.'),
    cfg.BoolOpt('cross_az_attach', default=True,
                help='Allow attaching volumes from another availability zone '
                     'than the server\'s.'),
    cfg.BoolOpt('debug', default=False,
                help='Log the requests to Cinder and its answers.'),
]


def register_opts(conf):
    conf.register_group(cinder_group)
    conf.register_opts(cinder_opts, group=cinder_group)
    ksa.register_session(conf, cinder_group.name)
    ksa.register_auth(conf, cinder_group.name)


def list_opts():
    return {cinder_group: cinder_opts + ksa.list_ksa_opts()}
