"""JSON schemas of ``/images/{image_id}/metadata`` request bodies: a server's metadata bodies."""

from nova.api.openstack.compute.schemas import server_metadata

create = server_metadata.create
update_all = server_metadata.update_all
update = server_metadata.update
