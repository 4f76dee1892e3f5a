"""``/servers/{server_id}/consoles``: the XenAPI-era console resource, removed
upstream (its nova-console and nova-xvpvncproxy services are gone). Every
call answers 410 Gone, as upstream; remote consoles replace it."""

import webob.exc

from nova.api.openstack import wsgi


class ConsolesController(wsgi.Controller):

    @staticmethod
    def _gone():
        raise webob.exc.HTTPGone()

    @wsgi.expected_errors(410)
    def index(self, req, server_id):
        self._gone()

    @wsgi.expected_errors(410)
    def create(self, req, server_id, body=None):
        self._gone()

    @wsgi.expected_errors(410)
    def show(self, req, server_id, id):
        self._gone()

    @wsgi.expected_errors(410)
    def delete(self, req, server_id, id):
        self._gone()
