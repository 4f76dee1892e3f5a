"""The alembic environment both databases run, with their own models.

``nova.db.migration`` hands over an open connection through
``config.attributes['connection']``; failing that, the URL in the
``sqlalchemy.url`` option is used. Only online migrations are supported.
Each database's ``migrations/env.py`` only names its metadata and calls
:func:`run_migrations`.
"""

from alembic import context
import sqlalchemy as sa


def _run(connection, target_metadata):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == 'sqlite',
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations(target_metadata):
    """Migrate the database alembic's current context points at."""
    if context.is_offline_mode():
        raise SystemExit('Offline (SQL script) migrations are not supported')
    config = context.config
    connection = config.attributes.get('connection')
    if connection is not None:
        _run(connection, target_metadata)
        return
    engine = sa.create_engine(config.get_main_option('sqlalchemy.url'),
                              poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _run(connection, target_metadata)
