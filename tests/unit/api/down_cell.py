"""A cell that does not answer, for the 2.69 partial-record tests.

Its mapping's database URL names a file in a directory that does not exist:
every query to it fails to connect, as with a cell database that is down.
"""

import uuid

from oslo_utils import uuidutils

from nova import context as nova_context
from nova import objects
from tests.unit.api import seeded


def down_cell_with_server(project_id=seeded.OWNER_PROJECT, user_id='owner',
                          queued_for_delete=False, with_spec=True):
    """A server mapped to a cell that does not answer; returns (cell, server id)."""
    ctxt = nova_context.get_admin_context()
    cells = [c for c in objects.CellMappingList.get_all(ctxt) if c.name == 'down']
    if cells:
        cell = cells[0]
    else:
        cell = objects.CellMapping(
            context=ctxt, uuid=uuidutils.generate_uuid(), name='down',
            database_connection='sqlite:////nonexistent-%s/nova.db' % uuid.uuid4().hex,
            transport_url='none:///')
        cell.create()
    server = str(uuid.uuid4())
    objects.InstanceMapping(context=ctxt, instance_uuid=server, project_id=project_id,
                            user_id=user_id, cell_mapping=cell,
                            queued_for_delete=queued_for_delete).create()
    if with_spec:
        objects.RequestSpec.from_components(
            ctxt, server, objects.ImageMeta(id=seeded.IMAGE),
            objects.Flavor.get_by_flavor_id(ctxt, '1'), availability_zone=None,
            project_id=project_id, user_id=user_id).create()
    return cell, server
