"""``/os-baremetal-nodes`` (up to 2.35): the Ironic proxy, as it answers without Ironic.

This cloud has no Ironic client: listing and showing nodes answer 501 (the
bare metal service is not available to proxy to), as upstream does when
Ironic is absent.  Creating or deleting nodes and adding or removing their
interfaces were never done here upstream either: 400, pointing at Ironic's
own command.  From 2.36 every method is 404.
"""

import webob.exc

from nova.api.openstack import wsgi

_POLICY = 'os_compute_api:os-baremetal-nodes:%s'
_MAX_VERSION = '2.35'


def _no_ironic():
    raise webob.exc.HTTPNotImplemented(explanation=(
        'The requested functionality is not supported: no bare metal (Ironic) '
        'service is available.'))


def _use_ironic(command):
    raise webob.exc.HTTPBadRequest(explanation=(
        'Command Not supported. Please use Ironic command %s to perform this action.'
        % command))


class BareMetalNodeController(wsgi.Controller):

    @wsgi.Controller.api_version('2.1', _MAX_VERSION)
    @wsgi.expected_errors((404, 501))
    def index(self, req):
        req.environ['nova.context'].can(_POLICY % 'list', target={})
        _no_ironic()

    @wsgi.Controller.api_version('2.1', _MAX_VERSION)
    @wsgi.expected_errors((404, 501))
    def show(self, req, id):
        req.environ['nova.context'].can(_POLICY % 'show', target={})
        _no_ironic()

    @wsgi.Controller.api_version('2.1', _MAX_VERSION)
    @wsgi.expected_errors(400)
    def create(self, req, body=None):
        _use_ironic('node-create')

    @wsgi.Controller.api_version('2.1', _MAX_VERSION)
    @wsgi.expected_errors(400)
    def delete(self, req, id):
        _use_ironic('node-delete')

    @wsgi.action('add_interface')
    @wsgi.Controller.api_version('2.1', _MAX_VERSION)
    @wsgi.expected_errors(400)
    def _add_interface(self, req, id, body):
        _use_ironic('port-create')

    @wsgi.action('remove_interface')
    @wsgi.Controller.api_version('2.1', _MAX_VERSION)
    @wsgi.expected_errors(400)
    def _remove_interface(self, req, id, body):
        _use_ironic('port-delete')
