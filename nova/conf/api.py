"""[api]: behaviour of the compute and metadata REST APIs."""

from oslo_config import cfg
from oslo_config import types

api_group = cfg.OptGroup(
    'api', title='API options',
    help='Settings of the compute REST API and the metadata service.')

metadata_opts = [
    cfg.StrOpt('config_drive_skip_versions',
               default=('1.0 2007-01-19 2007-03-01 2007-08-29 2007-10-10 '
                        '2007-12-15 2008-02-01 2008-09-01'),
               deprecated_group='DEFAULT',
               help='Space-separated EC2 metadata versions left out of '
                    'config drives.'),
    cfg.ListOpt('vendordata_providers',
                item_type=types.String(choices=['StaticJSON',
                                                'DynamicJSON']),
                default=['StaticJSON'],
                deprecated_group='DEFAULT',
                help='Sources of the vendor data given to servers.'),
    cfg.ListOpt('vendordata_dynamic_targets', default=[],
                help='REST services queried by DynamicJSON, as '
                     '"name@http://host/path".'),
    cfg.StrOpt('vendordata_dynamic_ssl_certfile', default='',
               help='CA bundle to verify the DynamicJSON services with.'),
    cfg.IntOpt('vendordata_dynamic_connect_timeout', default=5, min=3,
               help='Seconds to wait for a connection to a DynamicJSON '
                    'service.'),
    cfg.IntOpt('vendordata_dynamic_read_timeout', default=5, min=0,
               help='Seconds to wait for a DynamicJSON service\'s '
                    'answer.'),
    cfg.BoolOpt('vendordata_dynamic_failure_fatal', default=False,
                help='Fail the metadata request when a DynamicJSON service '
                     'fails, instead of omitting its data.'),
    cfg.IntOpt('metadata_cache_expiration', default=15, min=0,
               deprecated_group='DEFAULT',
               help='Seconds metadata answers are cached; 0 disables '
                    'caching.'),
    cfg.BoolOpt('local_metadata_per_cell', default=False,
                help='The metadata service runs in each cell and reads that '
                     'cell\'s database only.'),
    cfg.StrOpt('dhcp_domain', default='novalocal',
               deprecated_group='DEFAULT',
               help='Domain appended to host names in metadata; empty uses '
                    'the bare name.'),
    cfg.StrOpt('vendordata_jsonfile_path',
               deprecated_group='DEFAULT',
               help='JSON file served by the StaticJSON vendor data '
                    'provider.'),
]

compute_api_opts = [
    cfg.IntOpt('max_limit', default=1000,
               deprecated_group='DEFAULT',
               deprecated_name='osapi_max_limit',
               help='Most items one list request returns.'),
    cfg.StrOpt('compute_link_prefix',
               deprecated_group='DEFAULT',
               deprecated_name='osapi_compute_link_prefix',
               help='Base URL replacing the request\'s in links to compute '
                    'resources (useful behind a proxy).'),
    cfg.StrOpt('glance_link_prefix',
               deprecated_group='DEFAULT',
               deprecated_name='osapi_glance_link_prefix',
               help='Base URL replacing the request\'s in links to '
                    'images.'),
    cfg.BoolOpt('instance_list_per_project_cells', default=False,
                help='Only query the cells where the project has servers '
                     'when listing them.'),
    cfg.StrOpt('instance_list_cells_batch_strategy', default='distributed',
               choices=[('distributed', 'split the limit across cells'),
                        ('fixed', 'ask every cell for a fixed batch')],
               help='How many records a server list asks each cell for.'),
    cfg.IntOpt('instance_list_cells_batch_fixed_size', default=100, min=10,
               help='Batch size with the fixed strategy.'),
    cfg.BoolOpt('list_records_by_skipping_down_cells', default=True,
                help='Leave out records of unreachable cells from lists '
                     'instead of failing.'),
    cfg.BoolOpt('use_neutron_default_nets', default=False,
                deprecated_group='DEFAULT',
                help='Give servers requesting no network the networks of '
                     'neutron_default_project_id.'),
    cfg.StrOpt('neutron_default_project_id', default='default',
               deprecated_name='neutron_default_tenant_id',
               help='Project owning those default networks.'),
    cfg.BoolOpt('enable_instance_password', default=True,
                help='Return the generated admin password in create, '
                     'rebuild and rescue responses.'),
    cfg.StrOpt('response_validation', default='warn',
               choices=[('error', 'fail the request'),
                        ('warn', 'log a warning'),
                        ('ignore', 'do not validate')],
               help='What happens when an API response does not match its '
                    'schema.'),
]

auth_opts = [
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'tokens validated by Keystone '
                                     '(keystonemiddleware auth_token)'),
                        ('noauth2', 'development only: the token "user:project" '
                                    'is trusted as is; user "admin" is an '
                                    'administrator')],
               help='How API requests are authenticated.  Upstream Nova '
                    'removed this option; it is kept here so that a '
                    'development cloud can run without Keystone.'),
]

api_opts = metadata_opts + compute_api_opts + auth_opts

# The built-in API server (nova-api, nova-api-os-compute).  Upstream dropped
# these together with its eventlet server; deployments using uwsgi/gunicorn
# ignore them.
server_opts = [
    cfg.StrOpt('osapi_compute_listen', default='0.0.0.0',
               help='Address the built-in server listens on for the compute '
                    'API.'),
    cfg.PortOpt('osapi_compute_listen_port', default=8774,
                help='Port of the built-in compute API server.'),
    cfg.IntOpt('osapi_compute_workers', min=1,
               help='Worker threads of the built-in compute API server; '
                    'unset picks a size suited to the number of CPUs.'),
]

# The built-in server of the metadata API (nova-api-metadata, and nova-api
# when enabled_apis names it).
metadata_server_opts = [
    cfg.ListOpt('enabled_apis', default=['osapi_compute', 'metadata'],
                item_type=types.String(choices=['osapi_compute', 'metadata']),
                help='APIs nova-api serves: the compute API, the metadata '
                     'API, or both.'),
    cfg.StrOpt('metadata_listen', default='0.0.0.0',
               help='Address the built-in server listens on for the metadata '
                    'API.'),
    cfg.PortOpt('metadata_listen_port', default=8775,
                help='Port of the built-in metadata API server.'),
    cfg.IntOpt('metadata_workers', min=1,
               help='Worker threads of the built-in metadata API server; '
                    'unset picks a size suited to the number of CPUs.'),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)
    conf.register_opts(server_opts)
    conf.register_opts(metadata_server_opts)


def list_opts():
    return {api_group: api_opts, 'DEFAULT': server_opts + metadata_server_opts}
