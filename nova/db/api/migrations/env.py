"""Alembic environment of the API database.

``nova.db.migration`` hands over an open connection through
``config.attributes['connection']``; failing that, the URL in the
``sqlalchemy.url`` option is used. Only online migrations are supported.
"""

from alembic import context
import sqlalchemy as sa

from nova.db.api import models

config = context.config
target_metadata = models.BASE.metadata


def _run(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == 'sqlite',
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = config.attributes.get('connection')
    if connection is not None:
        _run(connection)
        return
    engine = sa.create_engine(config.get_main_option('sqlalchemy.url'),
                              poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit('Offline (SQL script) migrations are not supported')
run_migrations_online()
