"""The cell database's models on an in-memory SQLite database: soft delete, shadow
tables, the relationships objects rely on."""

import pytest
import sqlalchemy as sa

from nova.db.main import models as main_models
from tests.unit.db.conftest import memory_session


@pytest.fixture
def main_session():
    with memory_session(main_models.BASE) as session:
        yield session


def _instance(**values):
    values.setdefault('uuid', 'a0c2b8c6-5a1e-4a0e-9f52-6f2d2ff1d5a1')
    values.setdefault('project_id', 'demo')
    return main_models.Instance(**values)


def test_instance_with_extra_and_metadata(main_session):
    instance = _instance(vm_state='building', memory_mb=512)
    instance.extra = main_models.InstanceExtra(flavor='{"name": "m1.tiny"}')
    instance.system_metadata.append(
        main_models.InstanceSystemMetadata(key='image_min_ram', value='0'))
    instance.metadata.append(main_models.InstanceMetadata(key='role', value='web'))
    instance.info_cache = main_models.InstanceInfoCache(network_info='[]')
    main_session.add(instance)
    main_session.commit()

    loaded = main_session.scalars(sa.select(main_models.Instance)).one()
    assert loaded.deleted == 0
    assert loaded.created_at is not None
    assert loaded.extra.flavor == '{"name": "m1.tiny"}'
    assert {m.key: m.value for m in loaded.system_metadata} == {'image_min_ram': '0'}
    assert {m.key: m.value for m in loaded.metadata} == {'role': 'web'}
    assert loaded.info_cache.network_info == '[]'
    assert loaded['vm_state'] == 'building'  # oslo.db dict-style access


def test_instance_name_from_template(main_session):
    instance = _instance()
    main_session.add(instance)
    main_session.flush()
    assert instance.name == 'instance-%08x' % instance.id


def test_soft_delete_marks_row_with_its_id(main_session):
    instance = _instance()
    main_session.add(instance)
    main_session.commit()
    instance.soft_delete(main_session)
    main_session.commit()
    row = main_session.scalars(sa.select(main_models.Instance)).one()
    assert row.deleted == row.id
    assert row.deleted_at is not None


def test_uuid_is_unique_among_live_instances(main_session):
    main_session.add(_instance())
    main_session.commit()
    main_session.add(_instance())
    with pytest.raises(sa.exc.IntegrityError):
        main_session.commit()


def test_instance_tags_and_bdms(main_session):
    instance = _instance()
    main_session.add(instance)
    main_session.flush()
    main_session.add(main_models.Tag(resource_id=instance.uuid, tag='blue'))
    main_session.add(main_models.BlockDeviceMapping(
        instance_uuid=instance.uuid, source_type='image', destination_type='local',
        boot_index=0, encrypted=False))
    main_session.commit()
    main_session.expire_all()
    assert [t.tag for t in instance.tags] == ['blue']
    assert instance.block_device_mapping[0].boot_index == 0


def test_shadow_tables_copy_base_columns():
    tables = main_models.BASE.metadata.tables
    for name in main_models.archivable_table_names():
        base, shadow = tables[name], tables['shadow_' + name]
        assert [c.name for c in base.columns] == [c.name for c in shadow.columns]
        assert not shadow.foreign_keys
        assert not shadow.indexes
        assert [c.name for c in shadow.primary_key] == [c.name for c in base.primary_key]


def test_tables_without_soft_delete_have_no_shadow():
    tables = main_models.BASE.metadata.tables
    for name in ('tags', 'console_auth_tokens', 'share_mapping'):
        assert name in tables
        assert 'shadow_' + name not in tables


@pytest.mark.parametrize('name', [
    'Instance', 'InstanceExtra', 'InstanceSystemMetadata', 'InstanceMetadata',
    'InstanceInfoCache', 'InstanceAction', 'InstanceActionEvent', 'InstanceFault',
    'BlockDeviceMapping', 'ComputeNode', 'Service', 'Migration', 'Tag', 'ConsoleAuthToken',
    'InstanceIdMapping', 'VirtualInterface', 'TaskLog', 'PciDevice', 'SecurityGroup',
    'ShareMapping', 'Quota', 'QuotaClass', 'QuotaUsage', 'ProjectUserQuota', 'Reservation',
])
def test_main_model_names(name):
    assert hasattr(main_models, name)
