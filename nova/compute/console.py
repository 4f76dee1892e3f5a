"""The compute manager's remote consoles: VNC, SPICE and serial.

A mixin of ComputeManager. Each RPC call asks the virt driver where the
guest's console listens, records a console auth token for it in the cell
database (only its hash is stored; the token lives ``[consoleauth] token_ttl``
seconds) and answers the connection info with the URL the user opens on the
console proxy. A console type turned off in nova.conf or unknown for the
protocol is refused before the driver is asked.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

import nova.conf
from nova import exception
from nova import manager
from nova import objects
from nova.compute import vm_states

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# What the API may see come back from these calls (oslo.messaging logs any
# other exception as unexpected).
_EXPECTED = (exception.ConsoleTypeInvalid, exception.ConsoleTypeUnavailable,
             exception.InstanceNotReady, exception.InstanceNotFound, NotImplementedError)


def _vnc_url_base(console_type):
    if not CONF.vnc.enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    if console_type == 'novnc':
        return CONF.vnc.novncproxy_base_url
    raise exception.ConsoleTypeInvalid(console_type=console_type)


def _spice_url_base(console_type):
    if not CONF.spice.enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    if console_type == 'spice-html5':
        return CONF.spice.html5proxy_base_url
    if console_type == 'spice-direct':
        return CONF.spice.spice_direct_proxy_base_url
    raise exception.ConsoleTypeInvalid(console_type=console_type)


def _serial_url_base(console_type):
    if not CONF.serial_console.enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    if console_type == 'serial':
        return CONF.serial_console.base_url
    raise exception.ConsoleTypeInvalid(console_type=console_type)


class ConsoleOperations(object):
    """Remote console RPC methods (compute RPC 6.4) and token housekeeping."""

    def _init_consoles(self):
        # The decorator read the option at import; nova.conf is parsed by now.
        self.set_periodic_spacing('_cleanup_expired_console_auth_tokens',
                                  CONF.instance_delete_interval)

    def _authorize_console(self, context, instance, console_type, url_base, get_console):
        """Ask the driver for the console and hand out a token for it."""
        try:
            console = get_console(context, instance)
        except exception.InstanceNotFound:
            # A guest still being built has no console yet: not ready, not gone.
            if instance.vm_state != vm_states.BUILDING:
                raise
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        token = objects.ConsoleAuthToken(
            context=context, console_type=console_type, host=console.host,
            port=console.port, internal_access_path=console.internal_access_path,
            instance_uuid=instance.uuid, access_url_base=url_base)
        tls_port = getattr(console, 'tlsPort', None)
        if tls_port is not None:
            token.tls_port = tls_port
        token.authorize(CONF.consoleauth.token_ttl)
        LOG.debug('Authorized a %s console of %s', console_type, instance.uuid)
        return console.get_connection_info(token.token, token.access_url)

    @messaging.expected_exceptions(*_EXPECTED)
    def get_vnc_console(self, context, console_type, instance):
        """RPC call: connection info (with ``access_url``) of the guest's VNC server."""
        url_base = _vnc_url_base(console_type)
        return self._authorize_console(context.elevated(), instance, console_type, url_base,
                                       self.driver.get_vnc_console)

    @messaging.expected_exceptions(*_EXPECTED)
    def get_spice_console(self, context, console_type, instance):
        """RPC call: connection info of the guest's SPICE server."""
        url_base = _spice_url_base(console_type)
        return self._authorize_console(context.elevated(), instance, console_type, url_base,
                                       self.driver.get_spice_console)

    @messaging.expected_exceptions(*_EXPECTED)
    def get_serial_console(self, context, console_type, instance):
        """RPC call: connection info of the guest's serial port (TCP)."""
        url_base = _serial_url_base(console_type)
        return self._authorize_console(context.elevated(), instance, console_type, url_base,
                                       self.driver.get_serial_console)

    def _clean_instance_console_tokens(self, context, instance):
        """Forget every console token of an instance (deleted, or moved away)."""
        try:
            objects.ConsoleAuthToken.clean_console_auths_for_instance(context, instance.uuid)
        except Exception as exc:
            # Tokens of a deleted server never validate anyway; the periodic
            # task removes them once expired.
            LOG.warning('Could not delete the console tokens of %s: %s', instance.uuid, exc)

    @manager.periodic_task_decorator(spacing=CONF.instance_delete_interval)
    def _cleanup_expired_console_auth_tokens(self, context):
        """Delete the cell's expired console tokens.

        A token's ``host`` is where the console listens (the proxy client
        address), not this service's name, so every expired token of the cell
        goes; any compute of the cell may do it.
        """
        objects.ConsoleAuthToken.clean_expired_console_auths(context)
