"""Schema migrations of the API and cell databases (``nova-manage db sync``).

Each database has its own alembic environment next to its models
(``nova/db/api/migrations`` and ``nova/db/main/migrations``). The alembic
configuration is built here in code, so no alembic.ini has to be installed.

``database`` is ``'main'`` (a cell database: the one ``context`` is targeted
at, else [database]/connection) or ``'api'`` ([api_database]/connection).
"""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
from alembic.util import exc as alembic_exc
from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.main import engine as main_engine
from nova import exception

DATABASES = ('main', 'api')

_HERE = os.path.dirname(os.path.abspath(__file__))
_MIGRATIONS_DIRS = {
    'main': os.path.join(_HERE, 'main', 'migrations'),
    'api': os.path.join(_HERE, 'api', 'migrations'),
}

# Errors that, while starting an engine or connecting, mean "the configured
# database cannot be reached or used" (wrong URL, server down, no such database).
_CONNECTION_ERRORS = (
    db_exc.CantStartEngineError,
    db_exc.DBError,
    sa.exc.ArgumentError,
    sa.exc.NoSuchModuleError,
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
)


def _check_database(database):
    if database not in DATABASES:
        raise exception.Invalid(
            reason='database must be one of %s, not %r' % (', '.join(DATABASES), database))


def _one_line(error):
    text = str(getattr(error, 'inner_exception', None) or error) or type(error).__name__
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return first


def get_engine(database='main', context=None):
    """The SQLAlchemy engine of ``database``, raising DBConnectionError if unusable."""
    _check_database(database)
    try:
        if database == 'api':
            return api_engine.get_engine()
        return main_engine.get_engine(context=context)
    except exception.DBNotAllowed:
        raise
    except _CONNECTION_ERRORS as error:
        raise exception.DBConnectionError(reason=_one_line(error)) from error


def get_alembic_config(database='main', connection=None):
    """An alembic Config for ``database``, optionally bound to a connection."""
    _check_database(database)
    config = alembic_config.Config()
    config.set_main_option('script_location', _MIGRATIONS_DIRS[database])
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def head_revision(database='main'):
    """The latest revision this code knows for ``database``."""
    script = alembic_script.ScriptDirectory.from_config(get_alembic_config(database))
    return script.get_current_head()


def _current_revision(connection):
    return alembic_migration.MigrationContext.configure(connection).get_current_revision()


def _connect(database, context):
    """An open connection to ``database``; only connecting maps to DBConnectionError."""
    engine = get_engine(database, context=context)
    try:
        return engine.connect()
    except _CONNECTION_ERRORS as error:
        raise exception.DBConnectionError(reason=_one_line(error)) from error


def db_version(database='main', context=None):
    """The revision ``database`` is at, or None if it was never synced."""
    with _connect(database, context) as connection:
        return _current_revision(connection)


def db_sync(version=None, database='main', context=None):
    """Upgrade ``database`` to ``version`` (default: the latest); no-op when there."""
    script = alembic_script.ScriptDirectory.from_config(get_alembic_config(database))
    with _connect(database, context) as connection:
        current = _current_revision(connection)
        connection.rollback()  # end the autobegun read before the migration's own transaction
        if version is not None:
            _check_not_downgrade(script, current, version)
        config = get_alembic_config(database, connection=connection)
        try:
            with connection.begin():
                alembic_command.upgrade(config, version or 'heads')
        except alembic_exc.CommandError as error:
            raise exception.Invalid(reason=_one_line(error)) from error


def _check_not_downgrade(script, current, version):
    """Refuse a target older than the current revision: downgrades are unsupported."""
    try:
        target = script.get_revision(version)
    except (alembic_exc.CommandError, alembic_script.revision.ResolutionError) as error:
        raise exception.Invalid(reason='Unknown database version %s' % version) from error
    if current is None or target is None or current == target.revision:
        return
    ancestors = {rev.revision for rev in script.iterate_revisions(current, 'base')}
    if target.revision in ancestors:
        raise exception.Invalid(reason='Database downgrade is not supported')
