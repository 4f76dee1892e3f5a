"""``/servers/{server_id}/os-interface``: the server's ports (os-attach-interfaces).

Listing and showing read Neutron's ports whose device is the server, with
the caller's token, in upstream's ``interfaceAttachment`` shape (``tag``
from 2.70; this project does not record NIC tags yet, so it is null).
Without a network service a server has no interfaces: an empty list, and
any port is not found.
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack import wsgi
from nova.network import neutron as network_neutron
from nova.network import neutron_client

_POLICY = 'os_compute_api:os-attach-interfaces:%s'


def _view(port, with_tag):
    view = {
        'port_state': port.get('status'),
        'fixed_ips': [{'subnet_id': f.get('subnet_id'), 'ip_address': f.get('ip_address')}
                      for f in port.get('fixed_ips') or []],
        'port_id': port['id'],
        'net_id': port.get('network_id'),
        'mac_addr': port.get('mac_address'),
    }
    if with_tag:
        view['tag'] = None
    return view


class InterfaceAttachmentController(wsgi.Controller):

    def _server(self, req, server_id, rule):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id)
        context.can(_POLICY % rule, target={'project_id': instance.project_id})
        return context, instance

    @wsgi.expected_errors((404, 501))
    def index(self, req, server_id):
        context, instance = self._server(req, server_id, 'list')
        if not network_neutron.is_enabled():
            return {'interfaceAttachments': []}
        ports = neutron_client.get_client(context).list_ports(device_id=instance.uuid)
        with_tag = req.api_version_request >= '2.70'
        return {'interfaceAttachments': [_view(p, with_tag) for p in ports]}

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        context, instance = self._server(req, server_id, 'show')
        missing = 'Instance %s does not have a port with id %s' % (server_id, id)
        if not network_neutron.is_enabled():
            raise webob.exc.HTTPNotFound(explanation=missing)
        try:
            port = neutron_client.get_client(context).show_port(id)
        except neutron_client.NeutronError as exc:
            if exc.status_code == 404:
                raise webob.exc.HTTPNotFound(
                    explanation='Port id %s could not be found.' % id)
            raise
        if port.get('device_id') != instance.uuid:
            raise webob.exc.HTTPNotFound(explanation=missing)
        return {'interfaceAttachment': _view(port, req.api_version_request >= '2.70')}
