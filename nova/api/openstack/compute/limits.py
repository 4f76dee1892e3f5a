"""``GET /limits``: the project's absolute limits and what it uses of them."""

from nova.api.openstack.compute.schemas import limits as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova import quota


# (name in the response, quota resource) in upstream's order.
_LIMIT_NAMES = [
    ('maxServerMeta', 'metadata_items'),
    ('maxPersonality', 'injected_files'),
    ('maxPersonalitySize', 'injected_file_content_bytes'),
    ('maxImageMeta', 'metadata_items'),
    ('maxTotalInstances', 'instances'),
    ('maxTotalCores', 'cores'),
    ('maxTotalRAMSize', 'ram'),
    ('maxTotalKeypairs', 'key_pairs'),
    ('maxServerGroups', 'server_groups'),
    ('maxServerGroupMembers', 'server_group_members'),
    ('maxSecurityGroups', None),
    ('maxSecurityGroupRules', None),
    ('maxTotalFloatingIps', None),
]
_USED_NAMES = [
    ('totalInstancesUsed', 'instances'),
    ('totalCoresUsed', 'cores'),
    ('totalRAMUsed', 'ram'),
    ('totalServerGroupsUsed', 'server_groups'),
    ('totalSecurityGroupsUsed', None),
    ('totalFloatingIpsUsed', None),
]
_NETWORK = {'maxSecurityGroups', 'maxSecurityGroupRules', 'maxTotalFloatingIps',
            'totalSecurityGroupsUsed', 'totalFloatingIpsUsed'}


class LimitsController(wsgi.Controller):

    @validation.query_schema(schema.query)
    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        project_id = context.project_id
        requested = req.GET.get('tenant_id')
        context.can('os_compute_api:limits', target={'project_id': project_id})
        if requested and requested != project_id:
            if context.can('os_compute_api:limits:other_project',
                           target={'project_id': requested}, fatal=False):
                project_id = requested
        limits = quota.project_limits(context, project_id)
        usage = quota.project_usage(context, project_id)
        version = req.api_version_request
        absolute = {}
        for name, resource in _LIMIT_NAMES:
            absolute[name] = limits[resource] if resource else -1
        for name, resource in _USED_NAMES:
            absolute[name] = usage[resource] if resource else 0
        if version >= '2.36':
            for name in _NETWORK:
                absolute.pop(name, None)
        if version >= '2.39':
            absolute.pop('maxImageMeta', None)
        if version >= '2.57':
            absolute.pop('maxPersonality', None)
            absolute.pop('maxPersonalitySize', None)
        return {'limits': {'rate': [], 'absolute': absolute}}
