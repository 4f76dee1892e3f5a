"""The cell database's service queries against a migrated SQLite file: one service
per host and binary (or topic), a heartbeat marking it seen, a deleted compute's
nodes going with it, the minimum version of the services still up."""

import pytest

from nova.db.main import compute_node_api
from nova.db.main import service_api as db
from nova import exception


def _service(ctxt, host='h1', binary='nova-compute', topic='compute', **values):
    return db.service_create(ctxt, dict(host=host, binary=binary, topic=topic,
                                        report_count=0, **values))


def test_a_second_service_of_a_binary_or_topic_on_a_host_is_refused(ctxt):
    _service(ctxt)
    with pytest.raises(exception.ServiceBinaryExists):
        _service(ctxt, topic='other')
    with pytest.raises(exception.ServiceTopicExists):
        _service(ctxt, binary='nova-other')


def test_a_heartbeat_marks_the_service_seen(ctxt):
    service = _service(ctxt)
    assert service.last_seen_up is None
    db.service_update(ctxt, service.id, {'disabled': True})
    assert db.service_get(ctxt, service.id).last_seen_up is None
    db.service_update(ctxt, service.id, {'report_count': 1})
    assert db.service_get(ctxt, service.id).last_seen_up is not None
    with pytest.raises(exception.ServiceNotFound):
        db.service_update(ctxt, service.id + 1, {'disabled': True})


def test_deleting_a_compute_takes_its_nodes(ctxt):
    service = _service(ctxt)
    other = _service(ctxt, host='h2')
    for host, svc in (('h1', service), ('h2', other)):
        compute_node_api.compute_node_create(ctxt, dict(
            host=host, hypervisor_hostname=host + '-node', service_id=svc.id, vcpus=1,
            memory_mb=1, local_gb=1, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
            hypervisor_type='fake', hypervisor_version=1, cpu_info='{}'))
    db.service_destroy(ctxt, service.id)
    with pytest.raises(exception.HostBinaryNotFound):
        db.service_get_by_host_and_binary(ctxt, 'h1', 'nova-compute')
    assert [n.host for n in compute_node_api.compute_node_get_all(ctxt)] == ['h2']
    with pytest.raises(exception.ServiceNotFound):
        db.service_destroy(ctxt, 12345)


def test_listings(ctxt):
    compute = _service(ctxt)
    disabled = _service(ctxt, host='h2', disabled=True)
    conductor = _service(ctxt, binary='nova-conductor', topic='conductor')
    assert [s.id for s in db.service_get_all_by_binary(ctxt, 'nova-compute')] == [compute.id]
    assert [s.id for s in db.service_get_all_by_binary(ctxt, 'nova-compute',
                                                       include_disabled=True)] == [
        compute.id, disabled.id]
    assert [s.id for s in db.service_get_all(ctxt, disabled=True)] == [disabled.id]
    assert [s.id for s in db.service_get_all_by_host(ctxt, 'h1')] == [compute.id, conductor.id]
    assert [s.id for s in db.service_get_all_by_binary_and_hosts(
        ctxt, 'nova-compute', ['h2', 'h2', 'nowhere'])] == [disabled.id]
    assert db.service_get_all_by_binary_and_hosts(ctxt, 'nova-compute', []) == []
    assert db.service_get_by_host_and_topic(ctxt, 'h1', 'conductor').id == conductor.id
    assert db.service_get_by_uuid(ctxt, compute.uuid).id == compute.id
    assert [s.id for s in db.service_get_all_by_topic(ctxt, 'compute')] == [
        compute.id, disabled.id]


def test_minimum_version_leaves_out_forced_down_deleted_and_unversioned(ctxt):
    assert db.service_get_minimum_version(ctxt, ['nova-compute']) is None
    _service(ctxt, version=20)
    _service(ctxt, host='h2', version=10, forced_down=True)
    gone = _service(ctxt, host='h3', version=5)
    db.service_destroy(ctxt, gone.id)
    _service(ctxt, host='h4', binary='nova-conductor', topic='conductor', version=15)
    assert db.service_get_minimum_version(ctxt, ['nova-compute']) == 20
    assert db.service_get_minimum_version(ctxt, ['nova-compute', 'nova-conductor']) == 15
