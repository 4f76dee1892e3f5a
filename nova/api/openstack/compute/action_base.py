"""What every server-action controller shares: finding the server and turning
the compute API's domain errors into upstream's faults."""

import contextlib

import webob.exc

from nova.api.openstack import common
from nova.api.openstack import wsgi
from nova.compute import api as compute_api
from nova import exception


class ServerActionController(wsgi.Controller):
    """Base of the controllers behind ``POST /servers/{id}/action``."""

    @property
    def compute_api(self):
        return compute_api.get()

    def _get_instance(self, context, server_id, expected_attrs=None):
        return common.get_instance(context, server_id, expected_attrs=expected_attrs)

    def _authorized(self, req, server_id, rule, expected_attrs=None, user_scoped=False):
        """(context, server) once ``rule`` lets the caller act on the server's owner.

        The server is read first so a missing one is a 404 whatever the policy.
        ``user_scoped`` rules also target the owning user.
        """
        context = req.environ['nova.context']
        instance = self._get_instance(context, server_id, expected_attrs=expected_attrs)
        target = {'project_id': instance.project_id}
        if user_scoped:
            target['user_id'] = instance.user_id
        context.can(rule, target=target)
        return context, instance

    @staticmethod
    @contextlib.contextmanager
    def _conflicts(action, server_id):
        """Map a refused state change to 409 with upstream's wording."""
        try:
            yield
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        except (exception.InstanceIsLocked, exception.InstanceNotReady,
                exception.InstanceNotRunning, exception.UnexpectedTaskStateError) as error:
            raise webob.exc.HTTPConflict(explanation=error.format_message())
        except exception.InstanceInvalidState as error:
            common.raise_http_conflict_for_instance_invalid_state(error, action, server_id)
