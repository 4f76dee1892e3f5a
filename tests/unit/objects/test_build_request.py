"""BuildRequest on a migrated API database, and BuildRequestList filters: a build
request answers them as its instance in a cell would."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova import objects
from tests.unit.objects.records import _flavor
from tests.unit.objects.records import _new_instance


@pytest.fixture
def requests_by_name(ctxt):
    flavor = objects.Flavor(ctxt, name='m1.tiny', flavorid='1', memory_mb=512, vcpus=1,
                            root_gb=1, ephemeral_gb=0, swap=0)
    flavor.create()
    made = {}
    for name, hostname in (('web-1', 'web-1'), ('db-web', 'db'), ('Web.2', 'web2')):
        inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(),
                                project_id=ctxt.project_id, user_id=ctxt.user_id,
                                display_name=name, hostname=hostname, vm_state='building',
                                flavor=flavor, metadata={}, system_metadata={},
                                info_cache=None)
        objects.BuildRequest(ctxt, instance_uuid=inst.uuid, project_id=ctxt.project_id,
                             instance=inst).create()
        made[name] = inst.uuid
    return made


def _names(ctxt, filters):
    listed = objects.BuildRequestList.get_by_filters(ctxt, filters)
    return sorted(r.instance.display_name for r in listed)


@pytest.mark.parametrize('pattern, expected', [
    ('^web', ['Web.2', 'web-1']),        # anchored, case ignored
    ('web', ['Web.2', 'db-web', 'web-1']),  # a plain word is a substring
    ('-1$', ['web-1']),
    ('^web-[0-9]$', ['web-1']),
    ('web[', []),                         # broken pattern: matched literally
])
def test_name_filter_is_a_regex_like_the_cell_databases(ctxt, requests_by_name, pattern,
                                                        expected):
    assert _names(ctxt, {'name': pattern}) == expected
    assert _names(ctxt, {'display_name': pattern}) == expected


def test_hostname_and_exact_filters(ctxt, requests_by_name):
    assert _names(ctxt, {'hostname': '^db$'}) == ['db-web']
    assert _names(ctxt, {'uuid': requests_by_name['web-1']}) == ['web-1']
    assert _names(ctxt, {'uuid': [requests_by_name['web-1'], requests_by_name['Web.2']]}) \
        == ['Web.2', 'web-1']
    assert _names(ctxt, {'vm_state': 'active'}) == []
    # Placed-server filters never match a server that has no host yet.
    assert _names(ctxt, {'host': 'anything'}) == []


def test_build_request(ctxt):
    flavor = _flavor(ctxt)
    inst = _new_instance(ctxt, flavor)
    bdms = objects.BlockDeviceMappingList(objects=[objects.BlockDeviceMapping(
        source_type='image', destination_type='local', boot_index=0, image_id='img',
        instance_uuid=inst.uuid)])
    req = objects.BuildRequest(ctxt, instance_uuid=inst.uuid, project_id=ctxt.project_id,
                               instance=inst, block_device_mappings=bdms)
    req.create()
    with pytest.raises(exception.BuildRequestAlreadyExists):
        objects.BuildRequest(ctxt, instance_uuid=inst.uuid, project_id='p',
                             instance=inst).create()
    got = objects.BuildRequest.get_by_instance_uuid(ctxt, inst.uuid)
    assert got.instance.display_name == 'pending'
    assert got.instance.flavor.name == 'm1.tiny'
    assert got.block_device_mappings[0].image_id == 'img'
    new = got.get_new_instance(ctxt)
    assert new.uuid == inst.uuid and 'id' not in new
    new.create()
    listed = objects.BuildRequestList.get_by_filters(ctxt, {'display_name': 'pend'})
    assert [r.instance_uuid for r in listed] == [inst.uuid]
    assert len(objects.BuildRequestList.get_by_filters(ctxt, {'host': 'x'})) == 0
    assert len(objects.BuildRequestList.get_all(ctxt)) == 1
    got.destroy()
    with pytest.raises(exception.BuildRequestNotFound):
        objects.BuildRequest.get_by_instance_uuid(ctxt, inst.uuid)
