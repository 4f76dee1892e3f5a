"""``/os-quota-sets/{tenant_id}[/defaults|/detail]``: show, set and reset project/user limits.

Which resources appear depends on the microversion: 2.36 drops the
nova-network ones (always -1 before), 2.57 drops the injected file ones.
"""

from oslo_utils import strutils
import webob.exc

from nova.api.openstack.compute.schemas import quota_sets as schema
from nova.api.openstack.compute.views import quota_sets as quota_sets_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import objects
from nova import quota


def _user_id(req):
    return req.GET.get('user_id') or None


class QuotaSetsController(wsgi.Controller):

    @validation.query_schema(schema.query, '2.0', '2.74')
    @validation.query_schema(schema.query_v275, '2.75')
    @wsgi.expected_errors(400)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-sets:show', target={'project_id': id})
        limits = quota.project_limits(context, id, user_id=_user_id(req))
        return quota_sets_view.quota_set(req, id, limits)

    @validation.query_schema(schema.query, '2.0', '2.74')
    @validation.query_schema(schema.query_v275, '2.75')
    @wsgi.expected_errors(400)
    def detail(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-sets:detail', target={'project_id': id})
        user_id = _user_id(req)
        limits = quota.project_limits(context, id, user_id=user_id)
        usage = quota.detailed_usage(context, id, user_id=user_id)
        values = {name: {'limit': limits[name], 'in_use': usage[name], 'reserved': 0}
                  for name in quota.RESOURCES}
        return quota_sets_view.quota_set(req, id, values, detail=True)

    @wsgi.expected_errors(400)
    def defaults(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-sets:defaults', target={'project_id': id})
        return quota_sets_view.quota_set(req, id, quota.default_limits(context))

    @validation.schema(schema.update, '2.0', '2.35')
    @validation.schema(schema.update_v236, '2.36', '2.56')
    @validation.schema(schema.update_v257, '2.57')
    @validation.query_schema(schema.query, '2.0', '2.74')
    @validation.query_schema(schema.query_v275, '2.75')
    @wsgi.expected_errors(400)
    def update(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-sets:update', target={'project_id': id})
        user_id = _user_id(req)
        params = dict(body['quota_set'])
        force = strutils.bool_from_string(params.pop('force', False), strict=True)
        # Network quotas are accepted (old microversions) and ignored, as upstream.
        values = {k: int(v) for k, v in params.items() if k in quota.RESOURCES}
        if not force:
            self._check_settable(context, id, user_id, values)
        for resource, limit in values.items():
            try:
                objects.Quotas.update_limit(context, id, resource, limit, user_id=user_id)
            except exception.QuotaNotFound:
                objects.Quotas.create_limit(context, id, resource, limit, user_id=user_id)
        limits = quota.project_limits(context, id, user_id=user_id)
        return quota_sets_view.quota_set(req, id, limits, with_id=False)

    @staticmethod
    def _check_settable(context, project_id, user_id, values):
        """Without force a limit may not go below usage, nor a user's above its project's."""
        minimums = quota.settable_minimums(context, project_id, user_id=user_id)
        project = quota.project_limits(context, project_id) if user_id else None
        for resource, limit in values.items():
            used = minimums.get(resource, 0)
            if limit != -1 and limit < used:
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Quota limit %s for %s must be greater than or equal to already used '
                    'and reserved %s.' % (limit, resource, used)))
            if project is not None and project[resource] != -1 and (
                    limit == -1 or limit > project[resource]):
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Quota limit %s for %s must be less than or equal to %s.'
                    % (limit, resource, project[resource])))

    @wsgi.response(202)
    @validation.query_schema(schema.query, '2.0', '2.74')
    @validation.query_schema(schema.query_v275, '2.75')
    @wsgi.expected_errors(())
    def delete(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-sets:delete', target={'project_id': id})
        user_id = _user_id(req)
        try:
            if user_id:
                objects.Quotas.destroy_all_by_project_and_user(context, id, user_id)
            else:
                objects.Quotas.destroy_all_by_project(context, id)
        except exception.QuotaNotFound:
            pass  # nothing was set: already at the defaults
