"""os-getConsoleOutput: the tail of a server's serial console log."""

import re

import webob.exc

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import console_output as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

# Control characters a JSON client cannot show; newlines and tabs stay.
_UNPRINTABLE = re.compile('[\x00-\x08\x0b-\x1f\x7f]')


class ConsoleOutputController(action_base.ServerActionController):

    @wsgi.expected_errors((404, 409, 501))
    @wsgi.action('os-getConsoleOutput')
    @validation.schema(schema.get_console_output)
    def get_console_output(self, req, id, body):
        context, instance = self._authorized(req, id, 'os_compute_api:os-console-output')
        length = body['os-getConsoleOutput'].get('length')
        # -1 or null: the whole log.
        length = None if length is None or int(length) == -1 else int(length)
        try:
            output = self.compute_api.get_console_output(context, instance, length)
        except exception.ConsoleOutputNotAvailable as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.InstanceNotReady, exception.InstanceNotFound,
                exception.ComputeServiceUnavailable) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation='Unable to get console log, functionality not implemented')
        return {'output': _UNPRINTABLE.sub('', output or '')}
