"""Schema migrations: sync to head (twice, idempotent), one head per database, an
unknown version refused (sqlite in memory)."""

import pytest

from nova.db import migration
from nova import exception
from tests.fixtures import databases


@pytest.mark.parametrize('database', ['main', 'api'])
def test_sync_in_memory(database):
    kwargs = {'main_url': 'sqlite://'} if database == 'main' else {'api_url': 'sqlite://'}
    with databases.use_databases(**kwargs):
        assert migration.db_version(database) is None
        migration.db_sync(database=database)
        assert migration.db_version(database) == migration.head_revision(database)
        migration.db_sync(database=database)
        assert migration.db_version(database) == migration.head_revision(database)


def test_each_database_has_a_single_head():
    assert migration.head_revision('main') == 'ab450ba04102'
    assert migration.head_revision('api') == 'cdeec0c85668'


def test_unknown_version_is_rejected():
    with databases.use_databases(api_url='sqlite://'):
        with pytest.raises(exception.Invalid):
            migration.db_sync(version='deadbeef', database='api')
