"""The API database's models on an in-memory SQLite database: the properties and
relationships objects rely on."""

import pytest
import sqlalchemy as sa

from nova.db.api import models as api_models
from tests.unit.db.conftest import memory_session


@pytest.fixture
def api_session():
    with memory_session(api_models.BASE) as session:
        yield session


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
    'CellMapping', 'HostMapping', 'InstanceMapping', 'Flavors', 'FlavorExtraSpecs',
    'FlavorProjects', 'KeyPair', 'BuildRequest', 'RequestSpec', 'Aggregate', 'AggregateHost',
    'AggregateMetadata', 'InstanceGroup', 'InstanceGroupPolicy', 'InstanceGroupMember',
    'Quota', 'QuotaClass', 'QuotaUsage', 'ProjectUserQuota', 'Reservation',
])
def test_api_model_names(name):
    assert hasattr(api_models, name)
