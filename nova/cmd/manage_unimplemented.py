"""Categories of ``nova-manage`` that exist for compatibility but do nothing yet.

Each command accepts upstream's arguments so scripts parse, then says it is
not implemented and exits non-zero.
"""

from nova.cmd import manage_common as common

args = common.args
stub = common.not_implemented


class LibvirtCommands:
    """Commands for managing libvirt instances."""

    @args('instance_uuid', metavar='<instance_uuid>')
    @stub
    def get_machine_type(self, **kwargs):
        """Print the machine type of an instance."""

    @args('instance_uuid', metavar='<instance_uuid>')
    @args('machine_type', metavar='<machine_type>')
    @args('--force', action='store_true', default=False, dest='force')
    @stub
    def update_machine_type(self, **kwargs):
        """Set the machine type of an instance."""

    @args('--cell-uuid', metavar='<cell_uuid>', dest='cell_uuid')
    @stub
    def list_unset_machine_type(self, **kwargs):
        """List instances without a machine type recorded."""


class ImagePropertyCommands:
    """Commands for managing the image properties of instances."""

    @args('instance_uuid', metavar='<instance_uuid>')
    @args('image_property', metavar='<image_property>')
    @stub
    def show(self, **kwargs):
        """Show an image property of an instance."""

    @args('instance_uuid', metavar='<instance_uuid>')
    @args('--property', metavar='<image_property>', action='append', dest='image_properties')
    @stub
    def set(self, **kwargs):
        """Set image properties of an instance."""


class LimitsCommands:
    """Commands for managing unified limits."""

    @args('--project-id', metavar='<project-id>', dest='project_id')
    @args('--region-id', metavar='<region-id>', dest='region_id')
    @args('--verbose', action='store_true', dest='verbose', default=False)
    @args('--dry-run', action='store_true', dest='dry_run', default=False)
    @stub
    def migrate_to_unified_limits(self, **kwargs):
        """Copy legacy quota limits into Keystone unified limits."""
