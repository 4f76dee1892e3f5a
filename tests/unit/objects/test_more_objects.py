"""Migration, ConsoleAuthToken, Aggregate and Quotas against migrated SQLite DBs."""

import hashlib

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova import objects
from nova.db.main import engine as main_engine
from nova.db.main import models


def _instance(ctxt):
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p', user_id='u')
    inst.create()
    return inst


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


def test_console_auth_token(ctxt):
    inst = _instance(ctxt)
    obj = objects.ConsoleAuthToken(ctxt, console_type='novnc', host='h', port=5900,
                                   instance_uuid=inst.uuid,
                                   access_url_base='http://proxy/vnc_auto.html')
    token = obj.authorize()
    assert 'path=%3Ftoken%3D' + token in obj.access_url

    @main_engine.reader
    def stored(context):
        return context.session.query(models.ConsoleAuthToken).one().token_hash
    assert stored(ctxt) == hashlib.sha256(token.encode()).hexdigest()
    got = objects.ConsoleAuthToken.validate(ctxt, token)
    assert got.port == 5900 and got.instance_uuid == inst.uuid
    with pytest.raises(exception.InvalidToken):
        objects.ConsoleAuthToken.validate(ctxt, 'wrong')
    expired = objects.ConsoleAuthToken(ctxt, console_type='spice-html5', host='h', port=1,
                                       instance_uuid=inst.uuid)
    old_token = expired.authorize(ttl=-1)
    with pytest.raises(exception.InvalidToken):
        objects.ConsoleAuthToken.validate(ctxt, old_token)
    objects.ConsoleAuthToken.clean_expired_console_auths(ctxt)
    objects.ConsoleAuthToken.validate(ctxt, token)
    objects.ConsoleAuthToken.clean_console_auths_for_instance(ctxt, inst.uuid)
    with pytest.raises(exception.InvalidToken):
        objects.ConsoleAuthToken.validate(ctxt, token)


def test_aggregate(ctxt):
    agg = objects.Aggregate(ctxt, name='rack1', metadata={'availability_zone': 'az1'})
    agg.create()
    assert agg.availability_zone == 'az1' and agg.hosts == []
    with pytest.raises(exception.AggregateNameExists):
        objects.Aggregate(ctxt, name='rack1').create()
    agg.add_host('h1')
    with pytest.raises(exception.AggregateHostExists):
        agg.add_host('h1')
    agg.update_metadata({'ssd': 'true', 'availability_zone': None})
    got = objects.Aggregate.get_by_uuid(ctxt, agg.uuid)
    assert got.metadata == {'ssd': 'true'} and got.hosts == ['h1']
    assert got.availability_zone is None
    assert [a.id for a in objects.AggregateList.get_by_host(ctxt, 'h1')] == [agg.id]
    assert len(objects.AggregateList.get_by_metadata_key(ctxt, 'ssd')) == 1
    assert len(objects.AggregateList.get_by_metadata(ctxt, key='ssd', value='no')) == 0
    got.name = 'rack2'
    got.save()
    assert objects.Aggregate.get_by_id(ctxt, agg.id).name == 'rack2'
    got.delete_host('h1')
    with pytest.raises(exception.AggregateHostNotFound):
        got.delete_host('h1')
    got.destroy()
    with pytest.raises(exception.AggregateNotFound):
        objects.Aggregate.get_by_id(ctxt, agg.id)


def test_quotas(ctxt):
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 5)
    objects.Quotas.create_limit(ctxt, 'p1', 'instances', 2, user_id='u1')
    with pytest.raises(exception.QuotaExists):
        objects.Quotas.create_limit(ctxt, 'p1', 'instances', 5)
    objects.Quotas.update_limit(ctxt, 'p1', 'instances', 7)
    assert objects.Quotas.get_all_by_project(ctxt, 'p1')['instances'] == 7
    assert objects.Quotas.get_all_by_project_and_user(ctxt, 'p1', 'u1')['instances'] == 2
    with pytest.raises(exception.ProjectQuotaNotFound):
        objects.Quotas.update_limit(ctxt, 'p2', 'instances', 1)
    objects.Quotas.create_class(ctxt, 'default', 'cores', 20)
    objects.Quotas.update_class(ctxt, 'default', 'cores', 30)
    assert objects.Quotas.get_all_class_by_name(ctxt, 'default')['cores'] == 30
    objects.Quotas.destroy_all_by_project_and_user(ctxt, 'p1', 'u1')
    assert objects.Quotas.get_all_by_project_and_user(ctxt, 'p1', 'u1')['instances'] == 7
    objects.Quotas.destroy_all_by_project(ctxt, 'p1')
    assert 'instances' not in objects.Quotas.get_all_by_project(ctxt, 'p1')


def test_compute_services_of_several_hosts_in_one_read(ctxt):
    for host, binary in (('h1', 'nova-compute'), ('h2', 'nova-compute'),
                         ('h3', 'nova-compute'), ('h1', 'nova-conductor')):
        objects.Service(ctxt, host=host, binary=binary, topic=binary[5:],
                        report_count=0, disabled=host == 'h2').create()
    found = objects.ServiceList.get_by_compute_hosts(ctxt, ['h1', 'h2', 'nowhere'])
    assert sorted(found) == ['h1', 'h2']
    assert found['h1'].binary == 'nova-compute' and not found['h1'].disabled
    assert found['h2'].disabled   # disabled hosts still have a status to show
    assert objects.ServiceList.get_by_compute_hosts(ctxt, []) == {}
