"""Fixtures for object tests: real SQLite API and cell databases per test.

Both schemas are built once per session with the project's own migrations
(``db_sync``) and then copied file-by-file for every test, so each test gets
fresh databases without paying for alembic each time.
"""

import shutil

import pytest

import nova.conf
from nova import context as nova_context
from nova.db.api import engine as api_engine
from nova.db.main import engine as main_engine
from nova.db import migration
from nova import objects

CONF = nova.conf.CONF


def _point_at(api_path, main_path):
    CONF.set_override('connection', 'sqlite:///%s' % api_path, group='api_database')
    CONF.set_override('connection', 'sqlite:///%s' % main_path, group='database')
    api_engine.configure(CONF)
    main_engine.configure(CONF)


def _clear_overrides():
    CONF.clear_override('connection', group='api_database')
    CONF.clear_override('connection', group='database')


@pytest.fixture(scope='session')
def _template_dbs(tmp_path_factory):
    """Migrated API and cell database files to copy for each test."""
    objects.register_all()
    root = tmp_path_factory.mktemp('template-dbs')
    api_path, main_path = root / 'api.sqlite', root / 'main.sqlite'
    _point_at(api_path, main_path)
    try:
        migration.db_sync(database='api')
        migration.db_sync(database='main')
    finally:
        # Release the file handles before anybody copies the files.
        api_engine.get_engine().dispose()
        main_engine.get_engine().dispose()
        _clear_overrides()
    return api_path, main_path


@pytest.fixture
def dbs(tmp_path, _template_dbs):
    """Point [api_database] and [database] at fresh copies of the migrated files."""
    api_path, main_path = tmp_path / 'api.sqlite', tmp_path / 'main.sqlite'
    shutil.copy(_template_dbs[0], api_path)
    shutil.copy(_template_dbs[1], main_path)
    _point_at(api_path, main_path)
    yield api_path, main_path
    api_engine.get_engine().dispose()
    main_engine.get_engine().dispose()
    _clear_overrides()


@pytest.fixture
def ctxt(dbs):
    """An admin request context over the per-test databases."""
    return nova_context.RequestContext(user_id='fake-user', project_id='fake-project',
                                       is_admin=True, overwrite=False)
