"""An instance update whose expected task state another transaction changed after it
was read reports that change, on every backend (MySQL's REPEATABLE READ included)."""

import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.main import api as db
from nova.db.main import instance_api
from nova.db import migration
from nova import exception
from tests.fixtures import databases

UUID = '43ad363e-d756-4df0-a119-19c1c1d6d3dd'


def test_a_concurrent_delete_is_told_apart_from_a_missing_instance(database_url,
                                                                   monkeypatch):
    if database_url.startswith('sqlite'):
        pytest.skip('SQLite writers take the database at BEGIN: the race cannot happen')
    with databases.use_databases(main_url=database_url):
        migration.db_sync()
        ctxt = nova_context.get_admin_context()
        db.instance_create(ctxt, {'uuid': UUID, 'project_id': 'p', 'user_id': 'u',
                                  'vm_state': 'active', 'task_state': 'image_pending_upload'})
        other = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        real_get_row = instance_api._get_row
        calls = []

        def get_row_then_delete_elsewhere(context, instance_uuid, **kw):
            row = real_get_row(context, instance_uuid, **kw)
            if not calls:
                # nova-api's DELETE commits between the snapshot's read and its update
                with other.begin() as connection:
                    connection.execute(sa.text(
                        "UPDATE instances SET task_state = 'deleting' WHERE uuid = :u"),
                        {'u': UUID})
            calls.append(kw)
            return row

        monkeypatch.setattr(instance_api, '_get_row', get_row_then_delete_elsewhere)
        try:
            with pytest.raises(exception.UnexpectedDeletingTaskStateError):
                db.instance_update_and_get_original(
                    ctxt, UUID, {'task_state': 'image_uploading'},
                    expected={'task_state': 'image_pending_upload'})
        finally:
            other.dispose()
