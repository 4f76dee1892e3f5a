"""nova.objects.migration against a migrated cell database."""

import pytest

from nova import exception
from nova import objects
from tests.unit.objects.records import _instance


def test_migration(ctxt):
    inst = _instance(ctxt)
    mig = objects.Migration(ctxt, instance_uuid=inst.uuid, source_compute='a',
                            dest_compute='b', source_node='na', dest_node='nb',
                            status='pre-migrating', migration_type='resize',
                            old_instance_type_id=1, new_instance_type_id=2)
    mig.create()
    assert mig.uuid and mig.is_resize and not mig.hidden
    mig.status = 'finished'
    mig.save()
    assert objects.Migration.get_by_uuid(ctxt, mig.uuid).status == 'finished'
    assert objects.Migration.get_by_instance_and_status(ctxt, inst.uuid, 'finished').id == \
        mig.id
    assert objects.Migration.get_by_id(ctxt, mig.id).instance.uuid == inst.uuid
    in_progress = objects.MigrationList.get_in_progress_by_host_and_node(ctxt, 'b', 'nb')
    assert [m.id for m in in_progress] == [mig.id]
    assert len(objects.MigrationList.get_by_filters(ctxt, {'host': 'a'})) == 1
    assert len(objects.MigrationList.get_unconfirmed_by_dest_compute(ctxt, 0, 'b')) == 1
    with pytest.raises(exception.MigrationNotFound):
        objects.Migration.get_by_id(ctxt, 999)
    with pytest.raises(exception.ObjectActionError):
        objects.Migration(ctxt, instance_uuid=inst.uuid).create()
