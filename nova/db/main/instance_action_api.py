"""Cell-DB queries for instance actions (one per request) and their events."""

import sqlalchemy as sa
from oslo_utils import timeutils

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import model_query
from nova import exception

__all__ = ['action_start', 'action_finish', 'actions_get', 'action_get_by_request_id',
           'action_event_start', 'action_event_finish', 'action_events_get',
           'action_event_get_by_id', 'action_get_by_id']

A = models.InstanceAction
E = models.InstanceActionEvent

_ACTION_COLUMNS = ('id', 'action', 'instance_uuid', 'request_id', 'user_id', 'project_id',
                   'start_time', 'finish_time', 'message', 'created_at', 'updated_at',
                   'deleted_at', 'deleted')
_EVENT_COLUMNS = ('id', 'event', 'action_id', 'start_time', 'finish_time', 'result',
                  'traceback', 'host', 'details', 'created_at', 'updated_at', 'deleted_at',
                  'deleted')


def _as_dict(row, columns):
    return {key: getattr(row, key) for key in columns}


def _naive(values):
    for key in ('start_time', 'finish_time'):
        if values.get(key) is not None:
            values[key] = timeutils.normalize_time(values[key])
    return values


def _latest_action(context, instance_uuid, request_id):
    query = model_query(context, A).where(A.instance_uuid == instance_uuid,
                                          A.request_id == request_id)
    return context.session.scalars(query.order_by(A.created_at.desc(), A.id.desc())).first()


@engine.writer
def action_start(context, values):
    row = A(**_naive(dict(values)))
    context.session.add(row)
    context.session.flush()
    return _as_dict(row, _ACTION_COLUMNS)


@engine.writer
def action_finish(context, values):
    values = _naive(dict(values))
    row = _latest_action(context, values['instance_uuid'], values['request_id'])
    if row is None:
        raise exception.InstanceActionNotFound(request_id=values['request_id'],
                                               instance_uuid=values['instance_uuid'])
    for key, value in values.items():
        setattr(row, key, value)
    context.session.flush()
    return _as_dict(row, _ACTION_COLUMNS)


@engine.reader
def actions_get(context, instance_uuid, limit=None, marker=None, filters=None):
    """Actions of an instance, newest first; ``marker`` is a request id."""
    filters = filters or {}
    query = model_query(context, A).where(A.instance_uuid == instance_uuid)
    if filters.get('changes-since'):
        query = query.where(A.updated_at >= timeutils.normalize_time(filters['changes-since']))
    if filters.get('changes-before'):
        query = query.where(A.updated_at <= timeutils.normalize_time(filters['changes-before']))
    if marker is not None:
        marker_row = _latest_action(context, instance_uuid, marker)
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(sa.or_(A.created_at < marker_row.created_at,
                                   sa.and_(A.created_at == marker_row.created_at,
                                           A.id < marker_row.id)))
    query = query.order_by(A.created_at.desc(), A.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_as_dict(row, _ACTION_COLUMNS) for row in context.session.scalars(query)]


@engine.reader
def action_get_by_request_id(context, instance_uuid, request_id):
    row = _latest_action(context, instance_uuid, request_id)
    return _as_dict(row, _ACTION_COLUMNS) if row else None


def _action_of_event(context, values):
    """The action an event belongs to; pops its instance_uuid and request_id keys."""
    instance_uuid = values.pop('instance_uuid')
    request_id = values.pop('request_id')
    action = _latest_action(context, instance_uuid, request_id)
    if action is None:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)
    return action


@engine.writer
def action_event_start(context, values):
    """Record an event's start under the action of the context's request."""
    values = _naive(dict(values))
    action = _action_of_event(context, values)
    values['action_id'] = action.id
    row = E(**values)
    context.session.add(row)
    # Touch the action so "changes-since" listings see the new event.
    action.updated_at = timeutils.utcnow()
    context.session.flush()
    return _as_dict(row, _EVENT_COLUMNS)


@engine.writer
def action_event_finish(context, values):
    """Record an event's end; an 'Error' result marks the whole action failed."""
    values = _naive(dict(values))
    action = _action_of_event(context, values)
    query = model_query(context, E).where(E.action_id == action.id,
                                          E.event == values['event'])
    row = context.session.scalars(query.order_by(E.created_at.desc(), E.id.desc())).first()
    if row is None:
        raise exception.InstanceActionEventNotFound(event=values['event'],
                                                    action_id=action.id)
    for key, value in values.items():
        setattr(row, key, value)
    if values.get('result', '').lower() == 'error':
        action.message = 'Error'
    action.updated_at = timeutils.utcnow()
    context.session.flush()
    return _as_dict(row, _EVENT_COLUMNS)


@engine.reader
def action_events_get(context, action_id):
    query = model_query(context, E).where(E.action_id == action_id).order_by(
        E.created_at.desc(), E.id.desc())
    return [_as_dict(row, _EVENT_COLUMNS) for row in context.session.scalars(query)]


@engine.reader
def action_event_get_by_id(context, action_id, event_id):
    row = context.session.scalars(model_query(context, E).where(
        E.action_id == action_id, E.id == event_id)).first()
    return _as_dict(row, _EVENT_COLUMNS) if row else None


@engine.reader
def action_get_by_id(context, action_id):
    row = context.session.scalars(model_query(context, A).where(A.id == action_id)).first()
    if row is None:
        raise exception.InstanceActionNotFound(request_id=None, instance_uuid=None)
    return _as_dict(row, _ACTION_COLUMNS)
