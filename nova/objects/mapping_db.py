"""Query-and-get shared by the API DB's mapping objects (cell, host and instance mappings).

Each mapping is found by one key (a cell's uuid, a host's name, an
instance's uuid) and raises its own NotFound when the row is missing; host
and instance mappings load their cell with them.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova import objects


def select(model, with_cell=False):
    """SELECT of ``model`` rows, with their cell mapping joined when ``with_cell``."""
    query = sa.select(model)
    if with_cell:
        query = query.options(orm.joinedload(model.cell_mapping))
    return query


def get_one(context, query, not_found, **names):
    """The first row ``query`` selects, or ``not_found(**names)`` raised."""
    db_row = context.session.scalars(query).first()
    if not db_row:
        raise not_found(**names)
    return db_row


def delete_one(context, model, column, value, not_found, **names):
    """Delete the rows of ``model`` whose ``column`` is ``value``; ``not_found`` if none."""
    result = context.session.execute(sa.delete(model).where(column == value))
    if not result.rowcount:
        raise not_found(**names)


def load_cell(context, db_cell):
    """The CellMapping object of a joined cell row (None for none)."""
    if db_cell is None:
        return None
    return objects.CellMapping._from_db_object(context, objects.CellMapping(), db_cell)
