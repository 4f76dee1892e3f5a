"""Compute API for a server's user metadata.

Upstream casts ``change_instance_metadata`` to the compute host after every
change so a driver can push it into the guest; neither of our drivers (fake,
libvirt) uses it, so changes stop at the database (the metadata service and
config drive read them from there).
"""

from nova.compute.api import checks
from nova.compute import vm_states
from nova import exception
from nova import quota

#: States in which upstream lets users edit metadata (no task under way either).
METADATA_EDIT_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.SUSPENDED,
                           vm_states.STOPPED)
MAX_METADATA_KEY_LENGTH = 255
MAX_METADATA_VALUE_LENGTH = 255


def check_metadata_properties_quota(context, metadata, project_id=None):
    """Key/value sizes and the ``metadata_items`` quota, as upstream enforces them."""
    if not metadata:
        return
    if not isinstance(metadata, dict):
        raise exception.InvalidMetadata(reason='Metadata type should be dict.')
    limit = quota.project_limits(context, project_id or context.project_id)[
        'metadata_items']
    if 0 <= limit < len(metadata):
        raise exception.MetadataLimitExceeded(allowed=limit)
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise exception.InvalidMetadata(reason=(
                'Metadata property value %s for key %s is not a string.' % (value, key)))
        if not key:
            raise exception.InvalidMetadata(reason='Metadata property key blank.')
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise exception.InvalidMetadataSize(reason=(
                'Metadata property key greater than 255 characters.'))
        if len(value) > MAX_METADATA_VALUE_LENGTH:
            raise exception.InvalidMetadataSize(reason=(
                'Metadata property value greater than 255 characters.'))


class MetadataAPIMixin(object):
    """``nova.compute.api.API`` methods for ``/servers/{id}/metadata``."""

    def get_instance_metadata(self, context, instance):
        return dict(instance.metadata)

    def update_instance_metadata(self, context, instance, metadata, delete=False):
        """Merge ``metadata`` into the server's (or replace it when ``delete``)."""
        checks.check_lock(context, instance)
        checks.check_state(instance, 'update_instance_metadata', METADATA_EDIT_VM_STATES)
        merged = dict(metadata) if delete else dict(instance.metadata, **metadata)
        check_metadata_properties_quota(context, merged, instance.project_id)
        instance.metadata = merged
        instance.save()
        return dict(merged)

    def delete_instance_metadata(self, context, instance, key):
        checks.check_lock(context, instance)
        checks.check_state(instance, 'delete_instance_metadata', METADATA_EDIT_VM_STATES)
        instance.delete_metadata_key(key)
