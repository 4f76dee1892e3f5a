"""[vmware]: options of the VMware vCenter virt driver."""

from oslo_config import cfg

vmware_group = cfg.OptGroup(
    'vmware', title='VMware vCenter driver options',
    help='Connection and behaviour of vmwareapi.VMwareVCDriver.')

vmware_opts = [
    cfg.StrOpt('integration_bridge',
               help='Opaque network / NSX integration bridge name; unset '
                    'lets the driver choose.'),
    cfg.IntOpt('console_delay_seconds', min=0,
               help='Seconds to wait before reading a console log (for '
                    'tests with slow consoles).'),
    cfg.StrOpt('serial_port_service_uri',
               help='URI of the virtual serial port concentrator guests\' '
                    'serial ports connect to.'),
    cfg.URIOpt('serial_port_proxy_uri',
               help='URI of the concentrator\'s proxy, for vMotion.'),
    cfg.StrOpt('serial_log_dir', default='/opt/vmware/vspc',
               help='Directory where the concentrator stores serial '
                    'logs.'),
    cfg.HostAddressOpt('host_ip',
                       help='Address of the vCenter server.'),
    cfg.PortOpt('host_port', default=443,
                help='Port of the vCenter server.'),
    cfg.StrOpt('host_username',
               help='vCenter user name.'),
    cfg.StrOpt('host_password', secret=True,
               help='vCenter password.'),
    cfg.StrOpt('ca_file',
               help='CA bundle to verify the vCenter certificate with.'),
    cfg.BoolOpt('insecure', default=False,
                help='Skip verifying the vCenter certificate; ignored when '
                     'ca_file is set.'),
    cfg.StrOpt('cluster_name',
               help='vCenter cluster this compute service manages.'),
    cfg.StrOpt('datastore_regex',
               help='Regular expression selecting the datastores guests '
                    'may use.'),
    cfg.FloatOpt('task_poll_interval', default=0.5,
                 help='Seconds between polls of running vCenter tasks.'),
    cfg.IntOpt('api_retry_count', default=10,
               help='Attempts at a vCenter call failing with a transient '
                    'error.'),
    cfg.PortOpt('vnc_port', default=5900,
                help='First VNC port given to guests.'),
    cfg.IntOpt('vnc_port_total', default=10000,
               help='Number of VNC ports available from vnc_port.'),
    cfg.StrOpt('vnc_keymap', default='en-us',
               help='Keyboard layout of VNC consoles.'),
    cfg.BoolOpt('use_linked_clone', default=True,
                help='Create guest disks as linked clones of the cached '
                     'image.'),
    cfg.IntOpt('connection_pool_size', default=10, min=10,
               help='Size of the HTTP connection pool to vCenter.'),
    cfg.BoolOpt('pbm_enabled', default=False,
                help='Place disks by storage policy (SPBM).'),
    cfg.StrOpt('pbm_wsdl_location',
               help='URL of the PBM service WSDL, when it must be '
                    'overridden.'),
    cfg.StrOpt('pbm_default_policy',
               help='Storage policy used when the flavor sets none.'),
    cfg.IntOpt('maximum_objects', default=100,
               help='Most objects returned by one vCenter query.'),
    cfg.StrOpt('cache_prefix',
               help='Prefix of the image cache folder, to share datastores '
                    'between compute services.'),
]


def register_opts(conf):
    conf.register_group(vmware_group)
    conf.register_opts(vmware_opts, group=vmware_group)


def list_opts():
    return {vmware_group: vmware_opts}
