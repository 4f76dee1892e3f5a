"""Nova's configuration options, one module per group.

``from nova.conf import CONF`` (or ``import nova.conf``) registers every
option on oslo.config's global ConfigOpts.  Messaging and logging options are
registered by oslo.messaging and oslo.log themselves, not here.
"""

from oslo_config import cfg

from nova.conf import api
from nova.conf import availability_zone
from nova.conf import base
from nova.conf import cache
from nova.conf import cinder
from nova.conf import compute
from nova.conf import conductor
from nova.conf import configdrive
from nova.conf import console
from nova.conf import cyborg
from nova.conf import database
from nova.conf import devices
from nova.conf import ephemeral_storage
from nova.conf import glance
from nova.conf import guestfs
from nova.conf import image_cache
from nova.conf import ironic
from nova.conf import key_manager
from nova.conf import keystone
from nova.conf import libvirt
from nova.conf import manila
from nova.conf import netconf
from nova.conf import neutron
from nova.conf import notifications
from nova.conf import novnc
from nova.conf import paths
from nova.conf import pci
from nova.conf import placement
from nova.conf import quota
from nova.conf import rpc
from nova.conf import scheduler
from nova.conf import serial_console
from nova.conf import service
from nova.conf import service_user
from nova.conf import servicegroup
from nova.conf import spice
from nova.conf import upgrade_levels
from nova.conf import vendordata
from nova.conf import vmware
from nova.conf import vnc
from nova.conf import workarounds
from nova.conf import wsgi
from nova.conf import zvm

CONF = cfg.CONF

# Every module registers its own groups; opts.py reads the same list.
MODULES = (
    api,
    availability_zone,
    base,
    cache,
    cinder,
    compute,
    conductor,
    configdrive,
    console,
    cyborg,
    database,
    devices,
    ephemeral_storage,
    glance,
    guestfs,
    image_cache,
    ironic,
    key_manager,
    keystone,
    libvirt,
    manila,
    netconf,
    neutron,
    notifications,
    novnc,
    paths,
    pci,
    placement,
    quota,
    rpc,
    scheduler,
    serial_console,
    service,
    service_user,
    servicegroup,
    spice,
    upgrade_levels,
    vendordata,
    vmware,
    vnc,
    workarounds,
    wsgi,
    zvm,
)

for _module in MODULES:
    _module.register_opts(CONF)
