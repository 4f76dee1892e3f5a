"""Request filters: narrow the Placement query before any host is looked at.

Each takes (context, request_spec, resource_request) and adds to the
ResourceRequest (forbidden traits, required aggregates, a tree) so that
Placement rather than Python filters drops hosts that cannot match.
"""

from oslo_log import log as logging

import nova.conf
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

TENANT_METADATA_KEY = 'filter_tenant_id'


def compute_status_filter(ctxt, spec_obj, request):
    """Keep disabled computes out: their providers carry COMPUTE_STATUS_DISABLED."""
    import os_traits
    request.root_forbidden.add(os_traits.COMPUTE_STATUS_DISABLED)
    return True


def map_az_to_placement_aggregate(ctxt, spec_obj, request):
    """A requested availability zone becomes "member of that zone's aggregates"."""
    az = spec_obj.availability_zone if spec_obj.obj_attr_is_set('availability_zone') else None
    if not az:
        return False
    aggregates = objects.AggregateList.get_by_metadata(ctxt, key='availability_zone',
                                                       value=az)
    if not aggregates:
        return False
    request.require_aggregates([agg.uuid for agg in aggregates])
    LOG.debug('map_az_to_placement_aggregate request filter added aggregates %s for az %r',
              [agg.uuid for agg in aggregates], az)
    return True


def require_tenant_aggregate(ctxt, spec_obj, request):
    """Send a project to the aggregates whose ``filter_tenant_id*`` metadata names it."""
    if not CONF.scheduler.limit_tenants_to_placement_aggregate:
        return False
    project_id = spec_obj.project_id
    matching = []
    for agg in objects.AggregateList.get_all(ctxt):
        for key, value in agg.metadata.items():
            if key.startswith(TENANT_METADATA_KEY) and value == project_id:
                matching.append(agg.uuid)
                break
    if matching:
        request.require_aggregates(matching)
        return True
    if CONF.scheduler.placement_aggregate_required_for_tenants:
        LOG.warning('Tenant %s has no available aggregates', project_id)
        raise exception.NoValidHost(reason='No hosts available for tenant')
    return False


def require_image_type_support(ctxt, spec_obj, request):
    """Only hosts whose driver advertises the image's disk format."""
    if not CONF.scheduler.query_placement_for_image_type_support:
        return False
    if spec_obj.obj_attr_is_set('is_bfv') and spec_obj.is_bfv:
        return False  # the disk comes from Cinder, not from this image
    image = spec_obj.image if spec_obj.obj_attr_is_set('image') else None
    disk_format = image.disk_format if image is not None and image.obj_attr_is_set(
        'disk_format') else None
    if not disk_format:
        return False
    request.unnumbered.required_traits.add('COMPUTE_IMAGE_TYPE_%s' % disk_format.upper())
    return True


ALL_REQUEST_FILTERS = [
    require_tenant_aggregate,
    map_az_to_placement_aggregate,
    require_image_type_support,
    compute_status_filter,
]


def process_reqspec(ctxt, spec_obj, request):
    """Run every request filter over the query for ``spec_obj``."""
    for request_filter in ALL_REQUEST_FILTERS:
        request_filter(ctxt, spec_obj, request)
