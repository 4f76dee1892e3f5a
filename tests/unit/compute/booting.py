"""Servers at each step of a boot, written straight to the per-test databases.

Shared by the unit tests of the API's delete, conductor's failure path and
the build-timeout sweeps: a build request as ``POST /servers`` leaves it, the
cell record conductor writes, and a report client that records what it was
asked to free (Placement itself runs in the functional tier).
"""

from oslo_utils import uuidutils

from nova.compute.api import servers
from nova import context as nova_context
from nova import objects

PROJECT = 'demo-project'


class RecordingReportClient(object):
    """Stands in for Placement's client: the unit tier runs no Placement."""

    def __init__(self):
        self.freed = []

    def delete_allocation_for_instance(self, context, uuid, consumer_type='instance'):
        self.freed.append(uuid)
        return True


def user_context():
    return nova_context.RequestContext(user_id='demo', project_id=PROJECT, is_admin=False)


def flavor(ctxt):
    found = objects.Flavor(ctxt, name='m1.tiny', flavorid='1', memory_mb=512, vcpus=1,
                           root_gb=1, ephemeral_gb=0, swap=0, rxtx_factor=1.0,
                           is_public=True, disabled=False)
    found.create()
    return found


def build_request(ctxt, the_flavor, name='booting'):
    """A server as the API records it: build request, spec and unmapped mapping."""
    instance = servers.ServersAPIMixin._base_instance(
        None, ctxt, the_flavor, None, {}, name, None, {}, None, None, None, None, None,
        None, 'r-test')
    instance.uuid = uuidutils.generate_uuid()
    instance.user_id, instance.project_id = 'demo', PROJECT
    instance.launch_index = 0
    instance.hostname = name
    instance.trusted_certs = None
    spec = objects.RequestSpec.from_components(
        ctxt, instance.uuid, objects.ImageMeta(), the_flavor, num_instances=1,
        project_id=PROJECT, user_id='demo')
    spec.create()
    request = objects.BuildRequest(
        ctxt, instance=instance, instance_uuid=instance.uuid, project_id=PROJECT,
        block_device_mappings=objects.BlockDeviceMappingList(objects=[]),
        tags=objects.TagList(objects=[]))
    request.create()
    objects.InstanceMapping(ctxt, instance_uuid=instance.uuid, project_id=PROJECT,
                            user_id='demo', cell_mapping=None,
                            queued_for_delete=False).create()
    return request, spec


def write_to_cell(ctxt, cell, request, map_it=True, host=None):
    """What conductor writes for a placed server: the cell record (and its mapping)."""
    instance = request.get_new_instance(ctxt)
    instance.host = host
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance._context = cctxt
        instance.create()
    if map_it:
        mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, instance.uuid)
        mapping.cell_mapping = cell
        mapping.save()
    return instance


def cell_record(ctxt, cell, uuid):
    """The record of ``uuid`` in ``cell``, or None."""
    from nova import exception
    with nova_context.target_cell(ctxt, cell) as cctxt:
        try:
            return objects.Instance.get_by_uuid(cctxt, uuid)
        except exception.InstanceNotFound:
            return None
