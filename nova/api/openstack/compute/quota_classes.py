"""``/os-quota-class-sets/{id}``: limits of a quota class (``default`` feeds every project).

2.50 swaps the nova-network resources for the server group ones; 2.57 drops
the injected file resources.
"""

import webob.exc

from nova.api.openstack.compute.schemas import quota_classes as schema
from nova.api.openstack.compute.views import quota_classes as quota_classes_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception
from nova import objects
from nova import quota



def _check_class_name(class_name):
    if not class_name or len(class_name) > 255:
        raise webob.exc.HTTPBadRequest(
            explanation='The quota class name must be 1 to 255 characters long.')


class QuotaClassSetsController(wsgi.Controller):

    def _quota_class_set(self, req, context, class_name, with_id=True):
        limits = quota.class_limits(context, class_name)
        stored = objects.Quotas.get_all_class_by_name(context, class_name)
        return quota_classes_view.quota_class_set(req, class_name, limits, stored, with_id)

    @wsgi.expected_errors(400)
    def show(self, req, id):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-class-sets:show', target={'quota_class': id})
        _check_class_name(id)
        return self._quota_class_set(req, context, id)

    @validation.schema(schema.update, '2.0', '2.49')
    @validation.schema(schema.update_v250, '2.50', '2.56')
    @validation.schema(schema.update_v257, '2.57')
    @wsgi.expected_errors(400)
    def update(self, req, id, body):
        context = req.environ['nova.context']
        context.can('os_compute_api:os-quota-class-sets:update', target={'quota_class': id})
        _check_class_name(id)
        for resource, limit in body['quota_class_set'].items():
            if (resource not in quota.RESOURCES
                    and resource not in quota_classes_view.NETWORK_SHOWN):
                continue
            try:
                objects.Quotas.update_class(context, id, resource, int(limit))
            except exception.QuotaClassNotFound:
                objects.Quotas.create_class(context, id, resource, int(limit))
        return self._quota_class_set(req, context, id, with_id=False)
