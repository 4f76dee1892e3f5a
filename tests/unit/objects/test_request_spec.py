"""nova.objects.request_spec on a migrated API database: round trip, a page of
specs in one read."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova import objects
from tests.unit.objects.records import _flavor


def test_request_spec_round_trip(ctxt):
    flavor = _flavor(ctxt)
    group = objects.InstanceGroup(ctxt, name='g', policy='anti-affinity',
                                  rules={'max_server_per_host': '2'},
                                  project_id=ctxt.project_id, user_id=ctxt.user_id,
                                  members=['m1'])
    group.create()
    image = objects.ImageMeta.from_dict({'id': uuidutils.generate_uuid(),
                                         'properties': {'hw_disk_bus': 'scsi'}})
    instance_uuid = uuidutils.generate_uuid()
    spec = objects.RequestSpec.from_components(
        ctxt, instance_uuid, image, flavor, num_instances=2, availability_zone='az1',
        scheduler_hints={'group': group.uuid, 'foo': ['a', 'b']}, instance_group=group,
        force_hosts=['h1'], is_bfv=True)
    spec.retry = objects.SchedulerRetries(num_attempts=1,
                                          hosts=objects.ComputeNodeList(objects=[]))
    spec.requested_destination = objects.Destination(host='h2')
    spec.create()
    got = objects.RequestSpec.get_by_instance_uuid(ctxt, instance_uuid)
    assert got.flavor.flavorid == '1' and got.num_instances == 2
    assert got.image.properties.get('hw_disk_bus') == 'scsi'
    assert got.get_scheduler_hint('group') == group.uuid
    assert got.get_scheduler_hint('foo') == ['a', 'b']
    assert got.instance_group.policy == 'anti-affinity'
    assert got.instance_group.members is None
    assert got.retry is None and got.requested_destination is None
    assert got.force_hosts == ['h1'] and got.is_bfv
    got.reset_forced_destinations()
    got.availability_zone = 'az2'
    got.save()
    again = objects.RequestSpec.get_by_instance_uuid(ctxt, instance_uuid)
    assert again.availability_zone == 'az2' and again.force_hosts is None
    again.destroy()
    with pytest.raises(exception.RequestSpecNotFound):
        objects.RequestSpec.get_by_instance_uuid(ctxt, instance_uuid)


def test_request_specs_of_a_page_in_one_read(ctxt):
    flavor = _flavor(ctxt)
    image = objects.ImageMeta.from_dict({'id': uuidutils.generate_uuid(), 'properties': {}})
    uuids = [uuidutils.generate_uuid() for _ in range(3)]
    for index, instance_uuid in enumerate(uuids[:2]):
        objects.RequestSpec.from_components(
            ctxt, instance_uuid, image, flavor, availability_zone='az%d' % index,
            scheduler_hints={'foo': ['x%d' % index]}).create()
    found = objects.RequestSpec.get_by_instance_uuids(ctxt, uuids)
    assert sorted(found) == sorted(uuids[:2])   # the third has no spec
    assert found[uuids[1]].availability_zone == 'az1'
    assert found[uuids[0]].scheduler_hints == {'foo': ['x0']}
    assert objects.RequestSpec.get_by_instance_uuids(ctxt, []) == {}
