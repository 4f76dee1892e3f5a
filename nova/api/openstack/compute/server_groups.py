"""``/os-server-groups``: groups of servers placed under an (anti-)affinity policy.

The scheduler honours a group when a server is booted with the
``os:scheduler_hints: {"group": <uuid>}`` hint (see ``nova.compute.api.server_groups``).
"""

import collections

import webob.exc

import nova.conf
from nova.api.openstack import common
from nova.api.openstack.compute.schemas import server_groups as schema
from nova.api.openstack.compute.views import server_groups as server_groups_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import quota

CONF = nova.conf.CONF
_POLICY = 'os_compute_api:os-server-groups:%s'


def _live_members(context, uuids):
    """Members whose server still exists (build requests count as existing)."""
    if not uuids:
        return []
    mappings = objects.InstanceMappingList.get_by_instance_uuids(context, uuids)
    found, by_cell, cells = [], collections.defaultdict(list), {}
    for mapping in mappings:
        cell = mapping.cell_mapping
        if cell is None:
            found.append(mapping.instance_uuid)
            continue
        cells[cell.uuid] = cell
        by_cell[cell.uuid].append(mapping.instance_uuid)
    for cell_uuid, cell in cells.items():
        with nova_context.target_cell(context, cell) as cctxt:
            found.extend(inst.uuid for inst in objects.InstanceList.get_by_filters(
                cctxt, {'uuid': by_cell[cell_uuid], 'deleted': False}))
    order = {uuid: index for index, uuid in enumerate(uuids)}
    return sorted(set(found), key=lambda uuid: order.get(uuid, 0))


def _shown(context, req, group):
    return server_groups_view.server_group(
        req, group, _live_members(context, list(group.members or [])))


class ServerGroupController(wsgi.Controller):

    @staticmethod
    def _get(context, group_id):
        try:
            return objects.InstanceGroup.get_by_uuid(context, group_id)
        except exception.InstanceGroupNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())

    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        group = self._get(context, id)
        context.can(_POLICY % 'show', target={'project_id': group.project_id})
        return {'server_group': _shown(context, req, group)}

    @wsgi.response(204)
    @wsgi.expected_errors(404)
    def delete(self, req, id):
        context = req.environ['nova.context']
        group = self._get(context, id)
        context.can(_POLICY % 'delete', target={'project_id': group.project_id})
        try:
            group.destroy()
        except exception.InstanceGroupNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())

    @validation.query_schema(schema.index_query, '2.0', '2.74')
    @validation.query_schema(schema.index_query_v275, '2.75')
    @wsgi.expected_errors((400, 403))
    def index(self, req):
        context = req.environ['nova.context']
        project_id = context.project_id
        context.can(_POLICY % 'index', target={'project_id': project_id})
        if 'all_projects' in req.GET:
            context.can(_POLICY % 'index:all_projects', target={'project_id': project_id})
            groups = objects.InstanceGroupList.get_all(context)
        else:
            groups = objects.InstanceGroupList.get_by_project_id(context, project_id)
        return {'server_groups': [_shown(context, req, group)
                                  for group in common.limited(list(groups), req)]}

    @staticmethod
    def _check_quota(context, project_id, delta=1):
        limit = quota.project_limits(context, project_id)['server_groups']
        if limit < 0:
            return
        counts = objects.InstanceGroupList.get_counts(context, project_id)
        if counts['project']['server_groups'] + delta > limit:
            raise webob.exc.HTTPForbidden(
                explanation='Quota exceeded, too many server groups.')

    @validation.schema(schema.create, '2.0', '2.14')
    @validation.schema(schema.create_v215, '2.15', '2.63')
    @validation.schema(schema.create_v264, '2.64')
    @wsgi.expected_errors((400, 403, 409))
    def create(self, req, body):
        context = req.environ['nova.context']
        project_id, user_id = context.project_id, context.user_id
        context.can(_POLICY % 'create', target={'project_id': project_id,
                                                'user_id': user_id})
        self._check_quota(context, project_id)
        values = body['server_group']
        if req.api_version_request >= '2.64':
            policy = values['policy']
            rules = values.get('rules') or {}
            if rules and policy != 'anti-affinity':
                raise webob.exc.HTTPBadRequest(explanation=(
                    'Only anti-affinity policy supports rules.'))
        else:
            policy = values['policies'][0]
            rules = {}
        group = objects.InstanceGroup(context, policy=policy,
                                      rules={k: str(v) for k, v in rules.items()})
        group.name = values['name']
        group.project_id = project_id
        group.user_id = user_id
        try:
            group.create()
        except ValueError as error:
            raise webob.exc.HTTPBadRequest(explanation=str(error))
        if CONF.quota.recheck_quota:
            try:
                self._check_quota(context, project_id, delta=0)
            except webob.exc.HTTPForbidden:
                # Lost a race with another create: undo ours.
                group.destroy()
                raise
        return {'server_group': _shown(context, req, group)}
