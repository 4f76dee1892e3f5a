"""``POST /os-server-external-events``: other services tell Nova about its servers.

Each event gets its own ``code``: 200 (dispatched to the server's host),
400 (an event that cannot be applied), 404 (no such server) or 422 (the
server has no host yet).  The response is 200 when every event was
dispatched, 207 when some were not, and 404 when none could be.
"""

from oslo_log import log as logging
import webob.exc

from nova.api.openstack.compute.schemas import server_external_events as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.compute import api as compute_api
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import external_event as external_event_obj

LOG = logging.getLogger(__name__)
_POLICY = 'os_compute_api:os-server-external-events:create'


def _find_instance(context, instance_uuid):
    """The instance in its cell, or None if it is unknown or not in a cell yet."""
    try:
        mapping = objects.InstanceMapping.get_by_instance_uuid(context, instance_uuid)
    except exception.InstanceMappingNotFound:
        return None
    if mapping.cell_mapping is None:
        return None
    try:
        with nova_context.target_cell(context, mapping.cell_mapping) as cctxt:
            return objects.Instance.get_by_uuid(cctxt, instance_uuid, expected_attrs=[])
    except exception.InstanceNotFound:
        return None


class ServerExternalEventsController(wsgi.Controller):

    @validation.schema(schema.create, '2.0', '2.50')
    @validation.schema(schema.create_v251, '2.51', '2.75')
    @validation.schema(schema.create_v276, '2.76', '2.81')
    @validation.schema(schema.create_v282, '2.82', '2.92')
    @validation.schema(schema.create_v293, '2.93')
    @wsgi.expected_errors(404)
    def create(self, req, body):
        context = req.environ['nova.context']
        context.can(_POLICY, target={})
        response_events, accepted, instances = [], [], {}
        result = 200
        for entry in body['events']:
            reply = dict(entry)
            reply.setdefault('status', 'completed')
            response_events.append(reply)
            event = objects.InstanceExternalEvent(
                context, instance_uuid=entry['server_uuid'], name=entry['name'],
                status=reply['status'], tag=entry.get('tag'), data={})
            uuid = event.instance_uuid
            if uuid not in instances:
                instances[uuid] = _find_instance(context, uuid)
            instance = instances[uuid]
            if instance is None:
                LOG.debug('Dropping event %s:%s for unknown instance %s',
                          event.name, event.tag, uuid)
                reply.update(status='failed', code=404)
                result = 207
            elif not instance.host:
                LOG.debug('Dropping event %s:%s for instance %s with no host',
                          event.name, event.tag, uuid)
                reply.update(status='failed', code=422)
                result = 207
            elif event.name == 'power-update' and event.tag not in (
                    external_event_obj.POWER_ON, external_event_obj.POWER_OFF):
                LOG.debug('Invalid power-update tag %s for instance %s', event.tag, uuid)
                reply.update(status='failed', code=400)
                result = 207
            else:
                reply['code'] = 200
                accepted.append(event)
                LOG.info('Creating event %s:%s for instance %s on %s',
                         event.name, event.tag, uuid, instance.host)
        if not accepted:
            raise webob.exc.HTTPNotFound(explanation='No instances found for any event')
        accepted_instances = {e.instance_uuid: instances[e.instance_uuid] for e in accepted}
        compute_api.get().external_instance_event(context, list(accepted_instances.values()),
                                               accepted)
        return wsgi.ResponseObject({'events': response_events}, code=result)
