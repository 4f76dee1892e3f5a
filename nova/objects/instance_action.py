"""Instance actions and their events (cell DB): the server's action log.

Each API request against a server records one action (keyed by request id);
the services working on it record events under that action, with a result
('Success' or 'Error') and, for errors, the traceback.
"""

import traceback

from oslo_utils import timeutils

from nova.db.main import api as db
from nova import exception
from nova.objects import base
from nova.objects import fields

RESULT_SUCCESS = 'Success'
RESULT_ERROR = 'Error'


def _values_for_action(context, instance_uuid, action_name=None):
    values = {'request_id': context.request_id, 'instance_uuid': instance_uuid}
    if action_name is not None:
        values.update(action=action_name, user_id=context.user_id,
                      project_id=context.project_id, start_time=context.timestamp)
    else:
        values['finish_time'] = timeutils.utcnow()
    return values


@base.NovaObjectRegistry.register
class InstanceAction(base.NovaPersistentObject, base.NovaObject, base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'action': fields.StringField(nullable=True),
        'instance_uuid': fields.UUIDField(nullable=True),
        'request_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'start_time': fields.DateTimeField(nullable=True),
        'finish_time': fields.DateTimeField(nullable=True),
        'message': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, action, db_action):
        for field in action.fields:
            value = db_action[field]
            setattr(action, field, bool(value) if field == 'deleted' else value)
        action._context = context
        action.obj_reset_changes()
        return action

    @staticmethod
    def pack_action_start(context, instance_uuid, action_name):
        return _values_for_action(context, instance_uuid, action_name)

    @staticmethod
    def pack_action_finish(context, instance_uuid):
        return _values_for_action(context, instance_uuid)

    @classmethod
    @base.remotable
    def get_by_request_id(cls, context, instance_uuid, request_id):
        db_action = db.action_get_by_request_id(context, instance_uuid, request_id)
        if db_action is None:
            return None
        return cls._from_db_object(context, cls(), db_action)

    @classmethod
    @base.remotable
    def action_start(cls, context, instance_uuid, action_name, want_result=True):
        db_action = db.action_start(context, cls.pack_action_start(
            context, instance_uuid, action_name))
        if want_result:
            return cls._from_db_object(context, cls(), db_action)

    @classmethod
    @base.remotable
    def action_finish(cls, context, instance_uuid, want_result=True):
        db_action = db.action_finish(context, cls.pack_action_finish(context, instance_uuid))
        if want_result:
            return cls._from_db_object(context, cls(), db_action)

    @base.remotable
    def finish(self):
        values = self.pack_action_finish(self._context, self.instance_uuid)
        values['request_id'] = self.request_id
        self._from_db_object(self._context, self, db.action_finish(self._context, values))


@base.NovaObjectRegistry.register
class InstanceActionList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceAction'),
    }

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid, limit=None, marker=None,
                             filters=None):
        db_actions = db.actions_get(context, instance_uuid, limit=limit, marker=marker,
                                    filters=filters)
        return base.obj_make_list(context, cls(), InstanceAction, db_actions)


def _format_traceback(exc_tb):
    if exc_tb is None or isinstance(exc_tb, str):
        return exc_tb
    return ''.join(traceback.format_tb(exc_tb))


def _event_details(exc_val):
    """What an end user may see of a failure: the message of a Nova error only."""
    if exc_val is None:
        return None
    if isinstance(exc_val, str):
        return exc_val
    if isinstance(exc_val, exception.NovaException):
        return exc_val.format_message()
    return type(exc_val).__name__


@base.NovaObjectRegistry.register
class InstanceActionEvent(base.NovaPersistentObject, base.NovaObject,
                          base.NovaObjectDictCompat):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'event': fields.StringField(nullable=True),
        'action_id': fields.IntegerField(nullable=True),
        'start_time': fields.DateTimeField(nullable=True),
        'finish_time': fields.DateTimeField(nullable=True),
        'result': fields.StringField(nullable=True),
        'traceback': fields.StringField(nullable=True),
        'host': fields.StringField(nullable=True),
        'details': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, event, db_event):
        for field in event.fields:
            value = db_event[field]
            setattr(event, field, bool(value) if field == 'deleted' else value)
        event._context = context
        event.obj_reset_changes()
        return event

    @staticmethod
    def pack_action_event_start(context, instance_uuid, event_name, host=None):
        return {'event': event_name, 'instance_uuid': instance_uuid,
                'request_id': context.request_id, 'start_time': timeutils.utcnow(),
                'host': host}

    @staticmethod
    def pack_action_event_finish(context, instance_uuid, event_name, exc_val=None,
                                 exc_tb=None):
        values = {'event': event_name, 'instance_uuid': instance_uuid,
                  'request_id': context.request_id, 'finish_time': timeutils.utcnow()}
        if exc_tb is None and exc_val is None:
            values['result'] = RESULT_SUCCESS
        else:
            values['result'] = RESULT_ERROR
            values['traceback'] = _format_traceback(exc_tb)
            values['details'] = _event_details(exc_val)
        return values

    @classmethod
    @base.remotable
    def get_by_id(cls, context, action_id, event_id):
        db_event = db.action_event_get_by_id(context, action_id, event_id)
        if db_event is None:
            raise exception.InstanceActionEventNotFoundById(event_id=event_id,
                                                            action_id=action_id)
        return cls._from_db_object(context, cls(), db_event)

    @classmethod
    @base.remotable
    def event_start(cls, context, instance_uuid, event_name, want_result=True, host=None):
        db_event = db.action_event_start(context, cls.pack_action_event_start(
            context, instance_uuid, event_name, host=host))
        if want_result:
            return cls._from_db_object(context, cls(), db_event)

    @classmethod
    @base.remotable
    def event_finish_with_failure(cls, context, instance_uuid, event_name, exc_val=None,
                                  exc_tb=None, want_result=None):
        values = cls.pack_action_event_finish(context, instance_uuid, event_name,
                                              exc_val=exc_val, exc_tb=exc_tb)
        db_event = db.action_event_finish(context, values)
        if want_result:
            return cls._from_db_object(context, cls(), db_event)

    @classmethod
    @base.remotable
    def event_finish(cls, context, instance_uuid, event_name, want_result=True):
        return cls.event_finish_with_failure(context, instance_uuid, event_name,
                                             want_result=want_result)

    @base.remotable
    def finish_with_failure(self, exc_val, exc_tb):
        values = self.pack_action_event_finish(self._context, None, self.event,
                                               exc_val=exc_val, exc_tb=exc_tb)
        self._finish(values)

    @base.remotable
    def finish(self):
        self._finish(self.pack_action_event_finish(self._context, None, self.event))

    def _finish(self, values):
        action = db.action_get_by_id(self._context, self.action_id)
        values.update(instance_uuid=action['instance_uuid'], request_id=action['request_id'])
        self._from_db_object(self._context, self, db.action_event_finish(self._context, values))


@base.NovaObjectRegistry.register
class InstanceActionEventList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceActionEvent'),
    }

    @classmethod
    @base.remotable
    def get_by_action(cls, context, action_id):
        return base.obj_make_list(context, cls(context), InstanceActionEvent,
                                  db.action_events_get(context, action_id))
