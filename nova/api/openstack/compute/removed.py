"""Resources upstream removed but still routes, so old clients learn they are gone.

Upstream dropped these with nova-network (os-fixed-ips, os-floating-ip-dns,
os-floating-ips-bulk, os-virtual-interfaces, os-networks writes and
association, os-tenant-networks writes, os-security-group-default-rules),
Cells v1 (os-cells), the cloudpipe/certificates pair, fping and the XenAPI
guest agents (os-agents).  Every method of them answers 410 Gone to everyone,
at every microversion, before any policy or body check: there is nothing left
to authorize or validate.  The 410 fault has no name of its own, so its body
is ``{"computeFault": {"code": 410, ...}}`` (see wsgi.Fault).
"""

import webob.exc

from nova.api.openstack import wsgi


def _gone():
    raise webob.exc.HTTPGone()


class GoneController(wsgi.Controller):
    """Every method name a removed resource was routed to; each one answers 410.

    Path placeholders differ between resources, so they arrive as keywords.
    """

    @wsgi.expected_errors(410)
    def index(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def detail(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def info(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def capacities(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def show(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def create(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def add(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def sync_instances(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def update(self, req, **path):
        _gone()

    @wsgi.expected_errors(410)
    def delete(self, req, **path):
        _gone()


class NetworkActionsGoneController(wsgi.Controller):
    """``POST /os-networks/{id}/action``: the nova-network association actions."""

    @wsgi.expected_errors(410)
    @wsgi.action('disassociate')
    def _disassociate(self, req, id, body):
        _gone()

    @wsgi.expected_errors(410)
    @wsgi.action('disassociate_host')
    def _disassociate_host(self, req, id, body):
        _gone()

    @wsgi.expected_errors(410)
    @wsgi.action('disassociate_project')
    def _disassociate_project(self, req, id, body):
        _gone()

    @wsgi.expected_errors(410)
    @wsgi.action('associate_host')
    def _associate_host(self, req, id, body):
        _gone()


class FixedIpActionsGoneController(wsgi.Controller):
    """``POST /os-fixed-ips/{id}/action``: reserving a nova-network fixed address."""

    @wsgi.expected_errors(410)
    @wsgi.action('reserve')
    def _reserve(self, req, id, body):
        _gone()

    @wsgi.expected_errors(410)
    @wsgi.action('unreserve')
    def _unreserve(self, req, id, body):
        _gone()
