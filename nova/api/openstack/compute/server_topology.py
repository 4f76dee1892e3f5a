"""``GET /servers/{server_id}/topology`` (2.78): the NUMA layout of a server's guest.

Each guest NUMA node shows its vCPUs, their thread siblings and its memory;
administrators (``compute:server:topology:host:index``) also see the host
NUMA node it sits on and which host CPU each vCPU is pinned to.

Instances in this project carry no NUMA topology yet (no ``numa_topology``
field: the scheduler and drivers place no guest NUMA cells), so every server
answers as upstream does for a server without one: no nodes and no page
size.  ``views/server_topology.py`` already renders a topology shaped like upstream's
(cells with ``id``, ``cpuset``/``pcpuset``, ``siblings``, ``memory``,
``cpu_pinning``, ``pagesize``) for when one exists.
"""

from nova.api.openstack import common
from nova.api.openstack.compute.views import server_topology as server_topology_view
from nova.api.openstack import wsgi

_POLICY = 'compute:server:topology:%s'


class ServerTopologyController(wsgi.Controller):

    @wsgi.Controller.api_version('2.78')
    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        target = {'project_id': instance.project_id}
        context.can(_POLICY % 'index', target=target)
        show_host = context.can(_POLICY % 'host:index', target=target, fatal=False)
        return server_topology_view.topology(getattr(instance, 'numa_topology', None), show_host)
