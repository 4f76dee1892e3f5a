"""The compute manager's troubleshooting calls: console output, diagnostics, crash dumps.

A mixin of ComputeManager. Console output and diagnostics are RPC calls the
API waits for; a crash dump is an action recorded like the power ones.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from nova.compute import operations
from nova.compute import power_state
from nova import exception

LOG = logging.getLogger(__name__)

# What the API may see come back from the diagnostics calls (oslo.messaging logs
# any other exception as unexpected): a guest not running, gone, or a driver that
# cannot read diagnostics.
_DIAGNOSTICS_EXPECTED = (exception.InstanceInvalidState, exception.InstanceNotFound,
                         NotImplementedError)


class DiagnosticsOperations(operations.InstanceOperations):
    """RPC methods (6.1, 6.5) of ComputeManager that read a guest for troubleshooting."""

    @operations.instance_operation('compute_trigger_crash_dump', 'trigger_crash_dump')
    def trigger_crash_dump(self, context, instance):
        self.driver.trigger_crash_dump(instance)

    def get_console_output(self, context, instance, tail_length=None):
        """RPC call: the last ``tail_length`` lines of the guest's console (all if None)."""
        if self._get_power_state(instance) == power_state.NOSTATE:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        output = self.driver.get_console_output(context, instance)
        if isinstance(output, bytes):
            output = output.decode('utf-8', 'replace')
        if tail_length is not None:
            lines = output.splitlines()
            output = '\n'.join(lines[-tail_length:] if tail_length > 0 else [])
        return output

    def _require_running(self, instance, method):
        """Diagnostics are only read from a running guest (InstanceInvalidState, a 409)."""
        state = self._get_power_state(instance)
        if state != power_state.RUNNING:
            raise exception.InstanceInvalidState(
                attr='power state', instance_uuid=instance.uuid,
                state=power_state.STATE_MAP.get(state, 'pending'), method=method)

    @messaging.expected_exceptions(*_DIAGNOSTICS_EXPECTED)
    def get_diagnostics(self, context, instance):
        """RPC call (6.5): the driver's free-form diagnostics of the running guest."""
        self._require_running(instance, 'get_diagnostics')
        LOG.info('Retrieving diagnostics of %s', instance.uuid)
        return self.driver.get_diagnostics(instance)

    @messaging.expected_exceptions(*_DIAGNOSTICS_EXPECTED)
    def get_instance_diagnostics(self, context, instance):
        """RPC call (6.5): the standard (2.48) diagnostics of the running guest."""
        self._require_running(instance, 'get_instance_diagnostics')
        LOG.info('Retrieving diagnostics of %s', instance.uuid)
        return self.driver.get_instance_diagnostics(instance)
