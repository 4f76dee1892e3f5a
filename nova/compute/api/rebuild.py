"""The compute API's rebuild: the same server, its root disk made again from an image.

A mixin of nova.compute.api.API. The server keeps its id, flavor, host and
ports; what the request names changes in the record (image, name, metadata,
key pair (2.54), user data (2.57), trusted certificates (2.63), hostname
(2.90), access addresses). The server moves into REBUILDING and conductor
takes over: with a new image it first has the scheduler check that image
against the server's own host, then the host rebuilds the guest.
"""

from oslo_log import log as logging

from nova.compute.api import checks
from nova.compute.api import metadata as api_metadata
from nova.compute.api import servers as api_servers
from nova.compute import instance_actions
from nova.compute import task_states
from nova.compute import vm_states
from nova import exception
from nova import objects
from nova import quota

LOG = logging.getLogger(__name__)

# An argument the request did not carry (None means "unset it").
UNSET = object()

REBUILD_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR)


def _cell_context(context, instance):
    return getattr(instance, '_context', None) or context


def _replace_image_sysmeta(instance, image):
    """The ``image_*`` system metadata of the old image goes, the new one's comes."""
    sysmeta = dict(instance.system_metadata)
    for key in [k for k in sysmeta if k.startswith('image_')]:
        del sysmeta[key]
    sysmeta.update(api_servers._image_system_metadata(image))
    instance.system_metadata = sysmeta


class RebuildAPIMixin(object):
    """``rebuild`` for nova.compute.api.API."""

    @checks.check_instance_lock
    @checks.check_instance_state(vm_state=REBUILD_VM_STATES)
    def rebuild(self, context, instance, image_href, admin_password, files_to_inject=None,
                preserve_ephemeral=False, key_name=UNSET, user_data=UNSET,
                trusted_certs=UNSET, **updates):
        """Record the request's changes, move into REBUILDING and hand over to conductor.

        ``updates`` are instance fields set as given (display_name, metadata,
        access_ip_v4/6, display_description, hostname, auto_disk_config).
        """
        checks.require_host(instance, 'rebuild')
        image_id, image = self._get_image(context, image_href)
        flavor = instance.get_flavor()
        self._check_flavor_fits_image(flavor, image)
        if 'metadata' in updates:
            api_metadata.check_metadata_properties_quota(context, updates['metadata'],
                                                         instance.project_id)
        quota.check_injected_files(context, instance.project_id, files_to_inject or [])
        if key_name is not UNSET:
            self._set_keypair(context, instance, key_name)
        if user_data is not UNSET:
            instance.user_data = user_data
        if trusted_certs is not UNSET:
            instance.trusted_certs = (objects.TrustedCerts(ids=list(trusted_certs))
                                      if trusted_certs else None)
        orig_image_ref = instance.image_ref or ''
        if image_id != orig_image_ref:
            _replace_image_sysmeta(instance, image)
        props = image.get('properties') or {}
        instance.kernel_id = props.get('kernel_id') or ''
        instance.ramdisk_id = props.get('ramdisk_id') or ''
        for field, value in updates.items():
            setattr(instance, field, value)
        instance.image_ref = image_id
        instance.progress = 0
        instance.task_state = task_states.REBUILDING
        instance.save(expected_task_state=[None])
        cctxt = _cell_context(context, instance)
        objects.InstanceAction.action_start(cctxt, instance.uuid, instance_actions.REBUILD,
                                            want_result=False)
        try:
            request_spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        except exception.NotFound:
            request_spec = None
        if request_spec is not None and image_id != orig_image_ref:
            request_spec.image = objects.ImageMeta.from_dict(image)
        self.compute_task_api.rebuild_instance(
            cctxt, instance=instance, new_pass=admin_password,
            injected_files=files_to_inject or [], image_ref=image_id,
            orig_image_ref=orig_image_ref, preserve_ephemeral=preserve_ephemeral,
            host=instance.host, request_spec=request_spec)
        return instance

    @staticmethod
    def _set_keypair(context, instance, key_name):
        """2.54: the key pair to inject instead (None removes it)."""
        if key_name is None:
            instance.key_name = None
            instance.key_data = None
            instance.keypairs = objects.KeyPairList(objects=[])
            return
        keypair = objects.KeyPair.get_by_name(context, context.user_id, key_name)
        instance.key_name = keypair.name
        instance.key_data = keypair.public_key
        instance.keypairs = objects.KeyPairList(objects=[keypair])
