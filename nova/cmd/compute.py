"""nova-compute: runs instances on this host through a virt driver.

It never opens a database connection: object calls go to conductor.
"""

from oslo_log import log as logging

import nova.conf
from nova.cmd import common
from nova.conductor import api as conductor_api
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context
from nova.objects import base as objects_base
from nova import service

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def main():
    common.setup(binary='nova-compute', configure_db=False)
    common.block_db_access()
    objects_base.NovaObject.indirection_api = conductor_rpcapi.ConductorAPI()
    server = service.Service.create(binary='nova-compute')
    launcher = service.Launcher()
    launcher.install_signal_handlers()
    conductor_api.API().wait_until_ready(context.get_admin_context(),
                                         stop_event=launcher.stop_requested)
    if launcher.stop_requested.is_set():
        return
    launcher.launch_service(server)
    launcher.wait()


if __name__ == '__main__':
    main()
