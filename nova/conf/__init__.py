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
from nova.conf import compute
from nova.conf import conductor
from nova.conf import configdrive
from nova.conf import database
from nova.conf import netconf
from nova.conf import notifications
from nova.conf import novnc
from nova.conf import paths
from nova.conf import placement
from nova.conf import quota
from nova.conf import rpc
from nova.conf import scheduler
from nova.conf import service
from nova.conf import servicegroup
from nova.conf import upgrade_levels
from nova.conf import workarounds
from nova.conf import wsgi

CONF = cfg.CONF

# Order matters only for readability of the generated sample.
MODULES = (
    api,
    availability_zone,
    base,
    cache,
    compute,
    conductor,
    configdrive,
    database,
    netconf,
    notifications,
    novnc,
    paths,
    placement,
    quota,
    rpc,
    scheduler,
    service,
    servicegroup,
    upgrade_levels,
    workarounds,
    wsgi,
)

for _module in MODULES:
    _module.register_opts(CONF)
