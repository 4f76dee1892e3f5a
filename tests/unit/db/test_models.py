"""Smoke tests of the models on an in-memory sqlite database."""

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from nova.db.api import models as api_models
from nova.db.main import models as main_models


@pytest.fixture
def main_session():
    engine = sa.create_engine('sqlite://')
    main_models.BASE.metadata.create_all(engine)
    with orm.Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def api_session():
    engine = sa.create_engine('sqlite://')
    api_models.BASE.metadata.create_all(engine)
    with orm.Session(engine) as session:
        yield session
    engine.dispose()


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


def test_aggregate_properties(api_session):
    aggregate = api_models.Aggregate(uuid='agg-uuid', name='rack1')
    aggregate._hosts.append(api_models.AggregateHost(host='compute1'))
    aggregate._metadata.append(
        api_models.AggregateMetadata(key='availability_zone', value='az1'))
    api_session.add(aggregate)
    api_session.commit()
    assert aggregate.hosts == ['compute1']
    assert aggregate.metadetails == {'availability_zone': 'az1'}
    assert aggregate.availability_zone == 'az1'


def test_instance_group_policy_and_members(api_session):
    group = api_models.InstanceGroup(uuid='group-uuid', name='web')
    group._policies.append(api_models.InstanceGroupPolicy(policy='anti-affinity',
                                                          rules='{"max_server_per_host": 1}'))
    group._members.append(api_models.InstanceGroupMember(instance_uuid='i-1'))
    api_session.add(group)
    api_session.commit()
    assert group.policy.policy == 'anti-affinity'
    assert group.members == ['i-1']


def test_flavor_extra_specs_and_projects(api_session):
    flavor = api_models.Flavors(name='m1.tiny', memory_mb=512, vcpus=1, flavorid='1')
    flavor.extra_specs.append(api_models.FlavorExtraSpecs(key='hw:cpu_policy',
                                                          value='dedicated'))
    flavor.projects.append(api_models.FlavorProjects(project_id='demo'))
    api_session.add(flavor)
    api_session.commit()
    assert flavor.swap == 0 and flavor.is_public is True
    assert flavor.extra_specs[0].flavor is flavor
    assert flavor.projects[0].project_id == 'demo'


def test_cell_and_host_mappings(api_session):
    cell = api_models.CellMapping(uuid='cell-uuid', name='cell1',
                                  database_connection='sqlite://', transport_url='fake://')
    api_session.add(cell)
    api_session.flush()
    api_session.add(api_models.HostMapping(host='compute1', cell_id=cell.id))
    api_session.add(api_models.InstanceMapping(instance_uuid='i-1', project_id='demo',
                                               cell_id=cell.id))
    api_session.commit()
    host_mapping = api_session.scalars(sa.select(api_models.HostMapping)).one()
    assert host_mapping.cell_mapping.name == 'cell1'
    assert cell.disabled is False


def test_keypair_type_defaults_to_ssh(api_session):
    api_session.add(api_models.KeyPair(name='key', user_id='u1', public_key='ssh-rsa AAA'))
    api_session.commit()
    assert api_session.scalars(sa.select(api_models.KeyPair.type)).one() == 'ssh'


@pytest.mark.parametrize('name', [
    'Instance', 'InstanceExtra', 'InstanceSystemMetadata', 'InstanceMetadata',
    'InstanceInfoCache', 'InstanceAction', 'InstanceActionEvent', 'InstanceFault',
    'BlockDeviceMapping', 'ComputeNode', 'Service', 'Migration', 'Tag', 'ConsoleAuthToken',
    'InstanceIdMapping', 'VirtualInterface', 'TaskLog', 'PciDevice', 'SecurityGroup',
    'ShareMapping', 'Quota', 'QuotaClass', 'QuotaUsage', 'ProjectUserQuota', 'Reservation',
])
def test_main_model_names(name):
    assert hasattr(main_models, name)


@pytest.mark.parametrize('name', [
    'CellMapping', 'HostMapping', 'InstanceMapping', 'Flavors', 'FlavorExtraSpecs',
    'FlavorProjects', 'KeyPair', 'BuildRequest', 'RequestSpec', 'Aggregate', 'AggregateHost',
    'AggregateMetadata', 'InstanceGroup', 'InstanceGroupPolicy', 'InstanceGroupMember',
    'Quota', 'QuotaClass', 'QuotaUsage', 'ProjectUserQuota', 'Reservation',
])
def test_api_model_names(name):
    assert hasattr(api_models, name)
