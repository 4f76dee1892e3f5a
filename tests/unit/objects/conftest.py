"""Fixtures for object tests: real SQLite API and cell databases per test, and
``indirection``: objects used through conductor, as nova-compute uses them.

Both schemas are built once per session with the project's own migrations
(``db_sync``) and then copied file-by-file for every test, so each test gets
fresh databases without paying for alembic each time.
"""

import pytest

from nova import context as nova_context
from nova.objects import base
from tests.fixtures import sqlite_dbs
from tests.unit.objects import indirection as indirection_api


@pytest.fixture(scope='session')
def _template_dbs(tmp_path_factory):
    """Migrated API and cell database files to copy for each test."""
    return sqlite_dbs.build_templates(tmp_path_factory.mktemp('template-dbs'))


@pytest.fixture
def dbs(tmp_path, _template_dbs):
    """Point [api_database] and [database] at fresh copies of the migrated files."""
    with sqlite_dbs.fresh_copies(_template_dbs, tmp_path) as paths:
        yield paths


@pytest.fixture
def ctxt(dbs):
    """An admin request context over the per-test databases."""
    return nova_context.RequestContext(user_id='fake-user', project_id='fake-project',
                                       is_admin=True, overwrite=False)


@pytest.fixture
def indirection():
    fake = indirection_api.SerializingIndirection()
    base.NovaObject.indirection_api = fake
    yield fake
    base.NovaObject.indirection_api = None
