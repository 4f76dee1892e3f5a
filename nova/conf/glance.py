"""[glance]: how Nova reaches the Image service and handles images."""

from oslo_config import cfg

from nova.conf import ksa

DEFAULT_SERVICE_TYPE = 'image'

glance_group = cfg.OptGroup(
    'glance', title='Image service options',
    help='Endpoint, retries and image verification for Glance.')

glance_opts = [
    cfg.ListOpt('api_servers',
                deprecated_for_removal=True,
                deprecated_since='21.0.0',
                deprecated_reason='Use the keystoneauth adapter options '
                                  '(endpoint_override, valid_interfaces) '
                                  'instead.',
                help='Glance endpoint URLs, overriding the service '
                     'catalog.'),
    cfg.IntOpt('num_retries', default=3, min=0,
               help='Extra attempts at an image upload or download after a '
                    'failure.'),
    cfg.BoolOpt('verify_glance_signatures', default=False,
                help='Check the signature of signed images before booting '
                     'them.'),
    cfg.BoolOpt('enable_certificate_validation', default=False,
                deprecated_for_removal=True,
                deprecated_since='16.0.0',
                deprecated_reason='Superseded by trusted certificate '
                                  'handling.',
                help='Validate the certificate of image signatures even '
                     'without trusted certificate IDs.'),
    cfg.ListOpt('default_trusted_certificate_ids', default=[],
                help='Certificate IDs trusted when a request names none.'),
    cfg.BoolOpt('enable_rbd_download', default=False,
                help='Download images stored in Ceph directly over RBD '
                     'instead of through the Glance API.'),
    cfg.StrOpt('rbd_user', default='',
               help='Ceph user for direct RBD image downloads.'),
    cfg.IntOpt('rbd_connect_timeout', default=5,
               help='Seconds to wait for the Ceph cluster when downloading '
                    'over RBD.'),
    cfg.StrOpt('rbd_pool', default='',
               help='Ceph pool holding the Glance images.'),
    cfg.StrOpt('rbd_ceph_conf', default='',
               help='ceph.conf to use for RBD downloads.'),
    cfg.BoolOpt('debug', default=False,
                help='Log the requests to Glance and its answers.'),
]


def register_opts(conf):
    conf.register_group(glance_group)
    conf.register_opts(glance_opts, group=glance_group)
    ksa.register_session(conf, glance_group.name)
    ksa.register_adapter(conf, glance_group.name, DEFAULT_SERVICE_TYPE)


def list_opts():
    return {glance_group: glance_opts + ksa.list_ksa_opts(
        auth_plugins=None, service_type=DEFAULT_SERVICE_TYPE)}
