"""Schema migrations against real databases: sqlite, MariaDB and PostgreSQL.

For both the API and the cell database: syncing an empty database reaches the
head revision, syncing again changes nothing, the models match what the
migrations built (alembic's autogenerate comparison), and every shadow table
mirrors its base table.
"""

from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest
import sqlalchemy as sa

from nova.db.api import models as api_models
from nova.db.main import models as main_models
from nova.db import migration
from tests.fixtures import databases

MODELS = {'main': main_models, 'api': api_models}


@pytest.fixture(params=['main', 'api'])
def synced(request, database_url):
    """(database name, url, engine) of a freshly synced database."""
    database = request.param
    kwargs = {'main_url': database_url} if database == 'main' else {'api_url': database_url}
    with databases.use_databases(**kwargs):
        assert migration.db_version(database) is None
        migration.db_sync(database=database)
        yield database, database_url, migration.get_engine(database)


def test_sync_reaches_head(synced):
    database, _url, _engine = synced
    assert migration.db_version(database) == migration.head_revision(database)


def test_sync_is_idempotent(synced):
    database, _url, engine = synced
    before = sorted(sa.inspect(engine).get_table_names())
    migration.db_sync(database=database)
    migration.db_sync(version=migration.head_revision(database), database=database)
    sa.inspect(engine).clear_cache()
    assert sorted(sa.inspect(engine).get_table_names()) == before
    assert migration.db_version(database) == migration.head_revision(database)


def test_models_match_migrations(synced):
    database, _url, engine = synced
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'compare_type': True})
        diff = autogenerate.compare_metadata(context, MODELS[database].BASE.metadata)
    assert diff == []


def test_every_model_table_exists(synced):
    database, _url, engine = synced
    tables = set(sa.inspect(engine).get_table_names())
    assert set(MODELS[database].BASE.metadata.tables) <= tables


def test_shadow_tables_mirror_base_tables(synced):
    database, _url, engine = synced
    if database != 'main':
        pytest.skip('only cell databases have shadow tables')
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names())
    archivable = main_models.archivable_table_names()
    assert archivable, 'no soft-deletable tables found'
    for name in archivable:
        assert 'shadow_' + name in tables
        base = {c['name']: c for c in inspector.get_columns(name)}
        shadow = {c['name']: c for c in inspector.get_columns('shadow_' + name)}
        assert list(base) == list(shadow), name
        for column, info in base.items():
            assert type(info['type']) is type(shadow[column]['type']), (name, column)
    # Nothing else is shadowed, and no shadow lacks a base table.
    shadows = {t[len('shadow_'):] for t in tables if t.startswith('shadow_')}
    assert shadows == set(archivable)


def test_mysql_tables_are_innodb_utf8(synced):
    database, url, engine = synced
    if not url.startswith('mysql'):
        pytest.skip('MySQL only')
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            'SELECT table_name, engine, table_collation FROM information_schema.tables '
            'WHERE table_schema = DATABASE()')).all()
    assert rows
    for name, engine_name, collation in rows:
        assert engine_name == 'InnoDB', name
        if name != 'alembic_version':
            assert collation.startswith('utf8'), (name, collation)
