"""Find a console token in the cell databases.

A token URL names no cell, so the proxy asks the cell database of its own
``[database] connection`` first (a proxy deployed per cell, as upstream), then,
when ``[api_database] connection`` is set, every cell mapped in the API
database except cell0 (which never holds a running guest).
"""

import logging

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _validate_in(ctxt, token):
    try:
        return objects.ConsoleAuthToken.validate(ctxt, token)
    except exception.InvalidToken:
        return None


def validate_token(token):
    """The valid ConsoleAuthToken for ``token``, or None if no cell knows it."""
    ctxt = nova_context.get_admin_context()
    tried = set()
    if CONF.database.connection:
        tried.add(CONF.database.connection)
        found = _validate_in(ctxt, token)
        if found is not None:
            return found
    if not CONF.api_database.connection:
        return None
    for cell in objects.CellMappingList.get_all(ctxt):
        if cell.is_cell0() or cell.database_connection in tried:
            continue
        tried.add(cell.database_connection)
        try:
            with nova_context.target_cell(ctxt, cell) as cctxt:
                found = _validate_in(cctxt, token)
        except Exception as exc:  # one unreachable cell must not block the others
            LOG.warning('Cannot look up console tokens in cell %s: %s', cell.uuid, exc)
            continue
        if found is not None:
            return found
    return None
