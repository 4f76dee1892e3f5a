"""[vendordata_dynamic_auth]: credentials for DynamicJSON vendor data."""

from oslo_config import cfg

from nova.conf import ksa

vendordata_group = cfg.OptGroup(
    'vendordata_dynamic_auth', title='Dynamic vendor data credentials',
    help='Credentials the metadata service uses to call the REST services '
         'listed in [api]/vendordata_dynamic_targets.')


def register_opts(conf):
    conf.register_group(vendordata_group)
    ksa.register_session(conf, vendordata_group.name)
    ksa.register_auth(conf, vendordata_group.name)


def list_opts():
    return {vendordata_group: ksa.list_ksa_opts()}
