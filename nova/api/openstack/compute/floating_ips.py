"""Floating IPs: the deprecated proxies to Neutron and the server actions.

- ``/os-floating-ips`` (list, show, allocate, deallocate) and
  ``/os-floating-ip-pools`` answer up to 2.35 and 404 after, as upstream;
- ``addFloatingIp``/``removeFloatingIp`` server actions answer up to 2.43.

Without a network service there are no pools and no floating IPs: lists
are empty, everything else is a 404.
"""

from oslo_log import log as logging
import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import floating_ips as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova.network import floating_ips
from nova.network import info_cache
from nova.network import model
from nova.network import neutron as network_neutron
from nova.network import neutron_client

LOG = logging.getLogger(__name__)

_POLICY = 'os_compute_api:os-floating-ips:%s'


def _api():
    return floating_ips.API()


def _project_target(context, rule):
    context.can(_POLICY % rule, target={'project_id': context.project_id})


class FloatingIPController(wsgi.Controller):
    """``/os-floating-ips``: the project's floating IPs."""

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        _project_target(context, 'list')
        return {'floating_ips': _api().list(context)}

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 404))
    def show(self, req, id):
        context = req.environ['nova.context']
        _project_target(context, 'show')
        try:
            return {'floating_ip': _api().get(context, id)}
        except exception.FloatingIpNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors((400, 403, 404))
    def create(self, req, body=None):
        context = req.environ['nova.context']
        _project_target(context, 'create')
        pool = body.get('pool') if isinstance(body, dict) else None
        if pool is not None and not isinstance(pool, str):
            raise webob.exc.HTTPBadRequest(explanation='Invalid input for field/attribute '
                                           'pool. Value: %r is not a string.' % (pool,))
        try:
            return {'floating_ip': _api().allocate(context, pool)}
        except exception.NoMoreFloatingIps:
            msg = ('No more floating IPs in pool %s.' % pool if pool
                   else 'No more floating IPs available.')
            raise webob.exc.HTTPNotFound(explanation=msg)
        except exception.FloatingIpLimitExceeded:
            msg = ('IP allocation over quota in pool %s.' % pool if pool
                   else 'IP allocation over quota.')
            raise webob.exc.HTTPForbidden(explanation=msg)
        except exception.FloatingIpPoolNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except exception.FloatingIpBadRequest as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    def delete(self, req, id):
        context = req.environ['nova.context']
        _project_target(context, 'delete')
        try:
            fip = _api().release(context, id)
        except exception.FloatingIpNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        _refresh_server_of(context, fip)


def _refresh_server_of(context, fip):
    """The server a floating IP was mapped to shows the change (Neutron's
    network-changed event reaches its compute host too, later)."""
    if not fip.get('port_id'):
        return
    try:
        port = neutron_client.get_client(context, admin=True).show_port(fip['port_id'])
        instance = common.get_instance(context, port['device_id'])
        info_cache.refresh(context, instance, network_neutron.API())
    except Exception as exc:  # the floating IP is gone; the cache follows later
        LOG.info('Network info of the server of %s not refreshed: %s',
                 fip.get('floating_ip_address'), exc)


class FloatingIPPoolsController(wsgi.Controller):
    """``/os-floating-ip-pools``: the external networks."""

    @wsgi.Controller.api_version('2.1', '2.35')
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-floating-ip-pools',
                    target={'project_id': context.project_id})
        return {'floating_ip_pools': [{'name': name}
                                      for name in _api().pool_names(context)]}


class FloatingIPActionController(action_base.ServerActionController):
    """``addFloatingIp`` and ``removeFloatingIp``."""

    @wsgi.Controller.api_version('2.1', '2.43')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404))
    @wsgi.action('addFloatingIp')
    @validation.schema(schema.add_floating_ip)
    def _add_floating_ip(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'add',
                                             expected_attrs=['info_cache'])
        address = body['addFloatingIp']['address']
        fixed_address = body['addFloatingIp'].get('fixed_address')
        network_info = info_cache.cached(instance)
        if not network_info:
            raise webob.exc.HTTPBadRequest(explanation='Instance network is not ready yet')
        fixed_ips = model.fixed_ips(network_info)
        if not fixed_ips:
            raise webob.exc.HTTPBadRequest(
                explanation='No fixed IPs associated to instance')
        if fixed_address is None:
            ipv4 = floating_ips.fixed_ipv4s(network_info)
            if not ipv4:
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Unable to associate floating IP %s to any fixed IPs for instance %s. '
                    'Instance has no fixed IPv4 addresses to associate.' % (address, id)))
            fixed_address = ipv4[0]
        elif fixed_address not in fixed_ips:
            raise webob.exc.HTTPBadRequest(
                explanation='Specified fixed address not assigned to instance')
        try:
            _api().associate(context, instance, address, fixed_address)
        except exception.FloatingIpAssociated:
            raise webob.exc.HTTPBadRequest(explanation='floating IP is already associated')
        except exception.FloatingIpNotFoundForAddress:
            raise webob.exc.HTTPNotFound(explanation='floating IP not found')
        except exception.Forbidden as error:
            raise webob.exc.HTTPForbidden(explanation=error.format_message())
        except (exception.FloatingIpBadRequest, exception.FixedIpNotFoundForAddress,
                exception.FloatingIpMultipleFoundForAddress) as error:
            raise webob.exc.HTTPBadRequest(explanation=(
                'Unable to associate floating IP %s to fixed IP %s for instance %s. '
                'Error: %s' % (address, fixed_address, id, error.format_message())))
        info_cache.refresh(context, instance, network_neutron.API())

    @wsgi.Controller.api_version('2.1', '2.43')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('removeFloatingIp')
    @validation.schema(schema.remove_floating_ip)
    def _remove_floating_ip(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'remove',
                                             expected_attrs=['info_cache'])
        address = body['removeFloatingIp']['address']
        try:
            fip, server_id = _api().instance_of(context, address)
        except exception.FloatingIpNotFoundForAddress:
            raise webob.exc.HTTPNotFound(explanation='floating IP not found')
        except exception.FloatingIpMultipleFoundForAddress as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        if not fip.get('port_id') or server_id != instance.uuid:
            raise webob.exc.HTTPConflict(
                explanation='Floating IP %s is not associated with instance %s.'
                % (address, id))
        _api().disassociate(context, fip)
        info_cache.refresh(context, instance, network_neutron.API())
