"""Cell-DB queries for task logs: one row per periodic task run per host and period."""

from oslo_utils import timeutils

from nova.db.main import engine
from nova.db.main import models
from nova.db.main.query import model_query
from nova import exception

__all__ = ['task_log_get_all', 'task_log_begin_task', 'task_log_end_task']

T = models.TaskLog


def _period(query, period_beginning, period_ending):
    return query.where(T.period_beginning == period_beginning,
                       T.period_ending == period_ending)


def _run_row(context, task_name, period_beginning, period_ending, host):
    """The row of one run (task, host, period), or None."""
    query = _period(model_query(context, T).where(T.task_name == task_name, T.host == host),
                    period_beginning, period_ending)
    return context.session.scalars(query).first()


@engine.reader
def task_log_get_all(context, task_name, period_beginning, period_ending, host=None,
                     state=None):
    query = _period(model_query(context, T).where(T.task_name == task_name),
                    period_beginning, period_ending)
    if host is not None:
        query = query.where(T.host == host)
    if state is not None:
        query = query.where(T.state == state)
    return context.session.scalars(query.order_by(T.host)).all()


@engine.writer
def task_log_begin_task(context, task_name, period_beginning, period_ending, host,
                        task_items=None, message=None):
    """A RUNNING row; a second start of the same run is refused."""
    if _run_row(context, task_name, period_beginning, period_ending, host) is not None:
        raise exception.TaskAlreadyRunning(task_name=task_name, host=host)
    row = T(task_name=task_name, host=host, state='RUNNING', message=message or '',
            period_beginning=period_beginning, period_ending=period_ending,
            task_items=task_items or 0, errors=0)
    context.session.add(row)
    context.session.flush()
    return row


@engine.writer
def task_log_end_task(context, task_name, period_beginning, period_ending, host, errors,
                      message=None):
    row = _run_row(context, task_name, period_beginning, period_ending, host)
    if row is None:
        raise exception.TaskNotRunning(task_name=task_name, host=host)
    row.state = 'DONE'
    row.errors = errors
    row.message = message or ''
    row.updated_at = timeutils.utcnow()
    context.session.flush()
    return row
