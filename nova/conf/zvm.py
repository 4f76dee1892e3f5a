"""[zvm]: options of the z/VM virt driver."""

from oslo_config import cfg

from nova.conf import paths

zvm_group = cfg.OptGroup(
    'zvm', title='z/VM driver options',
    help='Connection of the z/VM driver to its cloud connector.')

zvm_opts = [
    cfg.URIOpt('cloud_connector_url',
               help='URL of the z/VM cloud connector service.'),
    cfg.StrOpt('ca_file',
               help='CA bundle to verify the cloud connector with.'),
    cfg.StrOpt('image_tmp_path', default=paths.state_path_def('images'),
               sample_default='$state_path/images',
               help='Directory where images are staged before being handed '
                    'to z/VM.'),
    cfg.IntOpt('reachable_timeout', default=300,
               help='Seconds to wait for a new guest to become reachable.'),
]


def register_opts(conf):
    conf.register_group(zvm_group)
    conf.register_opts(zvm_opts, group=zvm_group)


def list_opts():
    return {zvm_group: zvm_opts}
