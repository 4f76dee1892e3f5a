"""Request filters narrow the Placement query: disabled computes forbidden, a zone or a
project's aggregates required (or no valid host), the image's disk format as a trait;
the aggregates come from the real SQLite API database."""

from urllib import parse

import pytest

import nova.conf
from nova import exception
from nova import objects
from nova.scheduler import request_filter
from nova.scheduler import utils
from tests.unit.scheduler import fakes

CONF = nova.conf.CONF


def _query(request):
    return {k: v[0] if len(v) == 1 else v
            for k, v in parse.parse_qs(request.to_querystring()).items()}


@pytest.fixture
def conf():
    yield CONF
    for name in ('limit_tenants_to_placement_aggregate',
                 'placement_aggregate_required_for_tenants',
                 'query_placement_for_image_type_support'):
        CONF.clear_override(name, group='scheduler')


def _aggregate(ctxt, name, **metadata):
    agg = objects.Aggregate(ctxt, name=name, metadata=metadata)
    agg.create()
    return agg


def _request(spec):
    return utils.resources_from_request_spec(spec)

def test_compute_status_filter_and_limit():
    request = utils.resources_from_request_spec(fakes.request_spec())
    request_filter.compute_status_filter(None, fakes.request_spec(), request)
    request.limit = 1000
    query = _query(request)
    assert query['root_required'] == '!COMPUTE_STATUS_DISABLED'
    assert query['limit'] == '1000'


def test_a_zone_becomes_its_aggregates(ctxt):
    london = _aggregate(ctxt, 'l1', availability_zone='london')
    also = _aggregate(ctxt, 'l2', availability_zone='london')
    _aggregate(ctxt, 'p', availability_zone='paris')
    spec = fakes.request_spec(availability_zone='london')
    request = _request(spec)
    assert request_filter.map_az_to_placement_aggregate(ctxt, spec, request)
    assert sorted(_query(request)['member_of'].split(':')[1].split(',')) == sorted(
        [london.uuid, also.uuid])
    unknown = fakes.request_spec(availability_zone='tokyo')
    assert not request_filter.map_az_to_placement_aggregate(ctxt, unknown,
                                                            _request(unknown))
    assert not request_filter.map_az_to_placement_aggregate(ctxt, fakes.request_spec(),
                                                            _request(fakes.request_spec()))


def test_a_project_goes_to_the_aggregates_naming_it(ctxt, conf):
    spec = fakes.request_spec()  # project 'project'
    assert not request_filter.require_tenant_aggregate(ctxt, spec, _request(spec))
    conf.set_override('limit_tenants_to_placement_aggregate', True, group='scheduler')
    mine = _aggregate(ctxt, 'mine', filter_tenant_id2='project')
    _aggregate(ctxt, 'theirs', filter_tenant_id='other')
    request = _request(spec)
    assert request_filter.require_tenant_aggregate(ctxt, spec, request)
    assert _query(request)['member_of'] == 'in:%s' % mine.uuid


def test_a_project_without_aggregates_has_no_host_when_they_are_required(ctxt, conf):
    conf.set_override('limit_tenants_to_placement_aggregate', True, group='scheduler')
    spec = fakes.request_spec()
    assert not request_filter.require_tenant_aggregate(ctxt, spec, _request(spec))
    conf.set_override('placement_aggregate_required_for_tenants', True, group='scheduler')
    with pytest.raises(exception.NoValidHost):
        request_filter.require_tenant_aggregate(ctxt, spec, _request(spec))


def test_the_images_disk_format_is_a_required_trait(conf):
    spec = fakes.request_spec()
    spec.image = objects.ImageMeta.from_dict({'disk_format': 'qcow2', 'properties': {}})
    assert not request_filter.require_image_type_support(None, spec, _request(spec))
    conf.set_override('query_placement_for_image_type_support', True, group='scheduler')
    request = _request(spec)
    assert request_filter.require_image_type_support(None, spec, request)
    assert 'COMPUTE_IMAGE_TYPE_QCOW2' in _query(request)['required']
    volume_backed = fakes.request_spec(is_bfv=True)
    volume_backed.image = spec.image
    assert not request_filter.require_image_type_support(None, volume_backed,
                                                         _request(volume_backed))


def test_every_filter_runs(ctxt, conf):
    spec = fakes.request_spec()
    request = _request(spec)
    request_filter.process_reqspec(ctxt, spec, request)
    assert _query(request)['root_required'] == '!COMPUTE_STATUS_DISABLED'
