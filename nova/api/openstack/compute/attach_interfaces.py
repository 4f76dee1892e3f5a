"""``/servers/{server_id}/os-interface``: the server's ports (os-attach-interfaces).

Listing and showing read Neutron's ports whose device is the server, with
the caller's token, in upstream's ``interfaceAttachment`` shape (``tag``
from 2.70; this project does not record NIC tags yet, so it is null).
Without a network service a server has no interfaces: an empty list, and
any port is not found.

POST attaches an interface (the user's ``port_id``, or a new port on
``net_id`` at an optional fixed IP, or on the project's only network) and
answers with it once the server's host has plugged it; DELETE detaches one
(202): Nova's port is deleted, the user's unbound and kept. Upstream's
400/404/409s; no driver here records device tags, so a 2.49 ``tag`` is a 400.
"""

import contextlib

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute.schemas import attach_interfaces as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import exception
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

    # --- attach / detach ------------------------------------------------------------

    @staticmethod
    @contextlib.contextmanager
    def _errors(action, server_id):
        try:
            yield
        except (exception.InterfaceAttachFailedNoNetwork, exception.NetworkAmbiguous,
                exception.PortNotUsable, exception.PortRequiresFixedIP,
                exception.PortBindingFailed, exception.AttachInterfaceNotSupported,
                exception.NetworkInterfaceTaggedAttachNotSupported,
                exception.SecurityGroupNotFound, exception.NetworkRequiresSubnet,
                exception.FixedIpInvalidOnHost) as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        except (exception.PortNotFound, exception.NetworkNotFound) as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.InstanceIsLocked, exception.FixedIpAlreadyInUse,
                exception.PortInUse, exception.PortLimitExceeded,
                exception.ComputeServiceUnavailable) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.ExternalNetworkAttachForbidden as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, action, server_id)
        except exception.InterfaceAttachFailed as error:
            raise webob.exc.HTTPInternalServerError(explanation=error.format_message())
        except exception.NeutronConnectionFailed as error:
            raise webob.exc.HTTPServiceUnavailable(explanation=error.format_message())
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation='Network driver does not support this function.')

    @wsgi.expected_errors((400, 403, 404, 409, 500, 501, 503))
    @validation.schema(schema.create, '2.0', '2.48')
    @validation.schema(schema.create_v249, '2.49')
    def create(self, req, server_id, body):
        context, instance = self._server(req, server_id, 'create')
        attachment = body.get('interfaceAttachment') or {}
        network_id = attachment.get('net_id')
        port_id = attachment.get('port_id')
        fixed_ips = attachment.get('fixed_ips') or []
        requested_ip = fixed_ips[0]['ip_address'] if fixed_ips else None
        if network_id and port_id:
            raise webob.exc.HTTPBadRequest(
                explanation='Must not input both network_id and port_id')
        if requested_ip and not network_id:
            raise webob.exc.HTTPBadRequest(
                explanation='Must input network_id when request IP address')
        if not network_neutron.is_enabled():
            raise webob.exc.HTTPNotImplemented(
                explanation='Network driver does not support this function.')
        with self._errors('attach_interface', server_id):
            vif = compute_api.get().attach_interface(
                context, instance, network_id=network_id, port_id=port_id,
                requested_ip=requested_ip, tag=attachment.get('tag'))
        return self.show(req, server_id, vif['id'])

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501, 503))
    def delete(self, req, server_id, id):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id, expected_attrs=['info_cache'])
        context.can(_POLICY % 'delete', target={'project_id': instance.project_id})
        if not network_neutron.is_enabled():
            raise webob.exc.HTTPNotImplemented(
                explanation='Network driver does not support this function.')
        with self._errors('detach_interface', server_id):
            compute_api.get().detach_interface(context, instance, port_id=id)
