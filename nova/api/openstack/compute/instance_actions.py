"""``/servers/{server_id}/os-instance-actions``: the server's action log.

Microversions: 2.21 finds deleted servers too; 2.51 shows events to
everyone (the traceback stays admin-only); 2.58 adds ``updated_at`` and
``limit``/``marker``/``changes-since`` paging; 2.62 adds each event's
``hostId`` (and ``host`` for admins); 2.66 adds ``changes-before``; 2.84
adds the event ``details`` (policy ``events:details``).
"""

import copy

import webob.exc

from nova.api.openstack import common
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import instance_actions as schema
from nova.api.openstack.compute.views import instance_actions as instance_actions_view
from nova.api.openstack import wsgi
from nova.api import validation
from nova import exception

_POLICY = 'os_compute_api:os-instance-actions:%s'
def _parse_time(req, name):
    value = req.GET.get(name)
    return None if value is None else common.parse_date_time(value, name)


class InstanceActionsController(action_base.ServerActionController):

    def _instance(self, req, server_id):
        context = req.environ['nova.context']
        if req.api_version_request >= '2.21':
            context = copy.copy(context)
            context.read_deleted = 'yes'
        return self._get_instance(context, server_id, expected_attrs=[])

    @validation.query_schema(schema.index_query_v266, '2.66')
    @validation.query_schema(schema.index_query_v258, '2.58', '2.65')
    @wsgi.expected_errors((400, 404))
    def index(self, req, server_id):
        context = req.environ['nova.context']
        version = req.api_version_request
        instance = self._instance(req, server_id)
        context.can(_POLICY % 'list', target={'project_id': instance.project_id})
        limit = marker = None
        filters = {}
        if version >= '2.58':
            limit, marker = common.get_limit_and_marker(req)
            since = _parse_time(req, 'changes-since')
            if since:
                filters['changes-since'] = since
        if version >= '2.66':
            before = _parse_time(req, 'changes-before')
            if before:
                filters['changes-before'] = before
            common.check_changes_window(filters.get('changes-since'), before)
        try:
            actions = self.compute_api.get_instance_actions(
                context, instance, limit=limit, marker=marker, filters=filters)
        except exception.MarkerNotFound as error:
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        body = {'instanceActions': [instance_actions_view.action(a, version) for a in actions]}
        if version >= '2.58' and limit is not None and len(actions) == limit:
            body['links'] = self._next_link(req, server_id, actions[-1]['request_id'])
        return body

    @staticmethod
    def _next_link(req, server_id, marker):
        params = dict(req.GET)
        params['marker'] = marker
        from urllib import parse
        base = common.url_base(req).rstrip('/')
        project = req.environ['wsgiorg.routing_args'][1].get('project_id')
        prefix = '%s/%s' % (base, project) if project else base
        return [{'rel': 'next', 'href': '%s/servers/%s/os-instance-actions?%s' % (
            prefix, server_id, parse.urlencode(params))}]

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        context = req.environ['nova.context']
        version = req.api_version_request
        instance = self._instance(req, server_id)
        context.can(_POLICY % 'show', target={'project_id': instance.project_id})
        try:
            action, events = self.compute_api.get_instance_action(context, instance, id)
        except exception.InstanceActionNotFound:
            raise webob.exc.HTTPNotFound(explanation='Action %s not found' % id)
        view = instance_actions_view.action(action, version)
        target = {'project_id': instance.project_id}
        can_events = context.can(_POLICY % 'events', target=target, fatal=False)
        if version >= '2.51' or can_events:
            show_details = version >= '2.84' and context.can(
                _POLICY % 'events:details', target=target, fatal=False)
            view['events'] = [
                instance_actions_view.event(e, version, instance.project_id, can_events,
                                            can_events, show_details) for e in events]
        return {'instanceAction': view}
