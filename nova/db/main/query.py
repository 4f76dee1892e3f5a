"""Shared query building for cell-database helpers: soft delete and read_deleted."""

from oslo_utils import timeutils
import sqlalchemy as sa


def model_query(context, model, *args, read_deleted=None, project_only=False):
    """A select over ``model`` honouring the context's read_deleted setting."""
    read_deleted = read_deleted or context.read_deleted
    query = sa.select(model, *args) if args else sa.select(model)
    if hasattr(model, 'deleted'):
        if read_deleted == 'no':
            query = query.where(model.deleted == 0)
        elif read_deleted == 'only':
            query = query.where(model.deleted != 0)
    if project_only and hasattr(model, 'project_id') and context.project_id \
            and not context.is_admin:
        query = query.where(model.project_id == context.project_id)
    return query


def soft_delete_values(row_id):
    """Column values marking a row deleted (``deleted`` takes the id, as upstream)."""
    return {'deleted': row_id, 'deleted_at': timeutils.utcnow()}


def apply_updates(row, values):
    for key, value in values.items():
        setattr(row, key, value)
    return row
