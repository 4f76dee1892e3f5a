"""Cell-DB aggregates for quota counting: one query, however many instances."""

import sqlalchemy as sa

from nova.db.main import engine
from nova.db.main.instance_api import NOT_SOFT_DELETED
from nova.db.main import models

__all__ = ['instance_usage_counts']


@engine.reader
def instance_usage_counts(context, project_id, user_id=None):
    """{'project': {...}, 'user': {...}} of instances, cores and ram not (soft-)deleted."""
    Inst = models.Instance

    def totals(*criteria):
        row = context.session.execute(
            sa.select(sa.func.count(Inst.id), sa.func.coalesce(sa.func.sum(Inst.vcpus), 0),
                      sa.func.coalesce(sa.func.sum(Inst.memory_mb), 0))
            .where(Inst.project_id == project_id, Inst.deleted == 0,
                   # a soft-deleted server holds no quota until restored (restore checks)
                   NOT_SOFT_DELETED,
                   sa.or_(Inst.hidden.is_(None), Inst.hidden.is_(False)), *criteria)).one()
        return {'instances': int(row[0]), 'cores': int(row[1]), 'ram': int(row[2])}

    counts = {'project': totals()}
    if user_id:
        counts['user'] = totals(Inst.user_id == user_id)
    return counts
