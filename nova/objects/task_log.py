"""Task logs (cell DB): how far each host got with a periodic task for one period.

The instance usage audit writes one per compute host and audit period;
``/os-instance_usage_audit_log`` reports them.
"""

from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class TaskLog(base.NovaPersistentObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'task_name': fields.StringField(),
        'state': fields.StringField(),
        'host': fields.StringField(),
        'period_beginning': fields.DateTimeField(),
        'period_ending': fields.DateTimeField(),
        'message': fields.StringField(),
        'task_items': fields.IntegerField(),
        'errors': fields.IntegerField(),
    }

    @staticmethod
    def _from_db_object(context, task_log, db_task_log):
        for key in task_log.fields:
            value = db_task_log[key]
            setattr(task_log, key, bool(value) if key == 'deleted' else value)
        task_log._context = context
        task_log.obj_reset_changes()
        return task_log

    @base.remotable
    def begin_task(self):
        db_row = db.task_log_begin_task(
            self._context, self.task_name, self.period_beginning, self.period_ending,
            self.host, task_items=self.obj_attr_is_set('task_items') and self.task_items or 0,
            message=self.obj_attr_is_set('message') and self.message or '')
        self._from_db_object(self._context, self, db_row)

    @base.remotable
    def end_task(self):
        db_row = db.task_log_end_task(
            self._context, self.task_name, self.period_beginning, self.period_ending,
            self.host, self.errors, message=self.obj_attr_is_set('message') and self.message
            or '')
        self._from_db_object(self._context, self, db_row)


@base.NovaObjectRegistry.register
class TaskLogList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('TaskLog'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, task_name, period_beginning, period_ending, host=None,
                state=None):
        db_rows = db.task_log_get_all(context, task_name, base.datetime_arg(period_beginning),
                                      base.datetime_arg(period_ending), host=host, state=state)
        return base.obj_make_list(context, cls(context), TaskLog, db_rows)
