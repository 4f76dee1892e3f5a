"""The os-migrateLive server action (os-migrate-server): move a running server
to another host without stopping it.

``host`` names the destination (``os_compute_api:os-migrate-server:migrate_live:host``
decides who may) or is null for the scheduler's pick; ``block_migration``
is a boolean, from 2.25 also ``"auto"`` (copy the disks unless the hosts
share storage); ``disk_over_commit`` exists until 2.25 (ignored: there is no disk
over-commit check to skip); ``force`` (2.30 to
2.67) skips the scheduler's checks of a named host. Before 2.34 conductor's
checks run while the request waits, so a destination that cannot take the
server is a 400; from 2.34 they run after the 202 and a refusal is recorded
on the server's instance action.
"""

from oslo_utils import strutils
import webob.exc

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import live_migrate as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

_POLICY = 'os_compute_api:os-migrate-server:%s'

# What the destination checks may refuse with: the request was wrong (400).
_BAD_REQUESTS = (exception.ComputeHostNotFound, exception.NoValidHost,
                 exception.MigrationPreCheckError, exception.UnableToMigrateToSelf,
                 exception.InvalidLocalStorage, exception.InvalidSharedStorage,
                 exception.HypervisorUnavailable, exception.ComputeServiceUnavailable,
                 exception.MigrationError, exception.CannotMigrateToSameHost)


def _block_migration(value):
    """True, False, or None for "auto"."""
    if value == 'auto':
        return None
    return strutils.bool_from_string(value, strict=True)


class LiveMigrateController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('os-migrateLive')
    @validation.schema(schema.migrate_live, '2.1', '2.24')
    @validation.schema(schema.migrate_live_v225, '2.25', '2.25')
    @validation.schema(schema.migrate_live_v226, '2.26', '2.29')
    @validation.schema(schema.migrate_live_v230, '2.30', '2.67')
    @validation.schema(schema.migrate_live_v268, '2.68')
    def _migrate_live(self, req, id, body):
        context, instance = self._authorized(req, id, _POLICY % 'migrate_live',
                                             expected_attrs=['flavor', 'system_metadata'])
        args = body['os-migrateLive']
        host = args.get('host')
        if host:
            context.can(_POLICY % 'migrate_live:host',
                        target={'project_id': instance.project_id})
        block_migration = _block_migration(args['block_migration'])
        disk_over_commit = None
        if 'disk_over_commit' in args:
            disk_over_commit = strutils.bool_from_string(args['disk_over_commit'],
                                                         strict=True)
        force = False
        if 'force' in args:
            force = strutils.bool_from_string(args['force'], strict=True)
        if force and not host:
            raise webob.exc.HTTPBadRequest(
                explanation="Can't force to a non-provided destination")
        with self._conflicts('os-migrateLive', id):
            try:
                self.compute_api.live_migrate(
                    context, instance, block_migration, disk_over_commit, host,
                    force=force, async_=req.api_version_request >= '2.34')
            except _BAD_REQUESTS as error:
                raise webob.exc.HTTPBadRequest(explanation=error.format_message())
