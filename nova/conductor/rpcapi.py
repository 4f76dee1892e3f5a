"""Client side of the conductor RPC APIs.

Two namespaces share the ``conductor`` topic, as upstream: the base one
(object indirection for services without DB access) and ``compute_task``
(build and move orchestration).
"""

import oslo_messaging as messaging

import nova.conf
from nova import exception
from nova import rpc

CONF = nova.conf.CONF

RPC_TOPIC = 'conductor'

# History of the base API (ConductorManager):
#   3.0 - object_class_action_versions, object_action, object_backport_versions
BASE_VERSION_ALIASES = {}

# History of the compute_task API (ComputeTaskManager):
#   1.0 - schedule_and_build_instances, build_instances (reschedules)
#   1.1 - resize_instance (resize and cold migration, and their reschedules)
#   1.2 - rebuild_instance, unshelve_instance
#   1.3 - evacuate_instance
#   1.4 - live_migrate_instance
TASK_VERSION_ALIASES = {}


class ConductorAPI(object):
    """Object indirection over RPC: what nova-compute uses instead of a DB."""

    VERSION = '3.0'

    def __init__(self):
        target = messaging.Target(topic=RPC_TOPIC, version='3.0')
        version_cap = rpc.resolve_version_cap('conductor', BASE_VERSION_ALIASES)
        self.client = rpc.get_client(target, version_cap=version_cap)

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        cctxt = self.client.prepare()
        return cctxt.call(context, 'object_class_action_versions', objname=objname,
                          objmethod=objmethod, object_versions=object_versions,
                          args=args, kwargs=kwargs)

    def object_action(self, context, objinst, objmethod, args, kwargs):
        cctxt = self.client.prepare()
        return cctxt.call(context, 'object_action', objinst=objinst,
                          objmethod=objmethod, args=args, kwargs=kwargs)

    def object_backport_versions(self, context, objinst, object_versions):
        cctxt = self.client.prepare()
        return cctxt.call(context, 'object_backport_versions', objinst=objinst,
                          object_versions=object_versions)

    def ping(self, context, timeout):
        """Round-trip to any conductor; raises MessagingTimeout if none answers."""
        cctxt = self.client.prepare(timeout=timeout)
        return cctxt.call(context, 'ping', arg='ping')


class ComputeTaskAPI(object):
    """Build and move orchestration requests to conductor."""

    VERSION = '1.4'

    def __init__(self):
        target = messaging.Target(topic=RPC_TOPIC, namespace='compute_task', version='1.0')
        version_cap = rpc.resolve_version_cap('conductor', TASK_VERSION_ALIASES)
        self.client = rpc.get_client(target, version_cap=version_cap)

    def schedule_and_build_instances(self, context, build_requests, request_specs, image,
                                     admin_password, injected_files, requested_networks,
                                     block_device_mapping, tags=None):
        self.client.prepare().cast(
            context, 'schedule_and_build_instances', build_requests=build_requests,
            request_specs=request_specs, image=image, admin_password=admin_password,
            injected_files=injected_files, requested_networks=requested_networks,
            block_device_mapping=block_device_mapping, tags=tags)

    def build_instances(self, context, instances, image, filter_properties, admin_password,
                        injected_files, requested_networks, security_groups,
                        block_device_mapping, request_spec=None, host_lists=None):
        """A compute host failed a build: try the next alternate (a reschedule)."""
        self.client.prepare().cast(
            context, 'build_instances', instances=instances, image=image,
            filter_properties=filter_properties, admin_password=admin_password,
            injected_files=injected_files, requested_networks=requested_networks,
            security_groups=security_groups, block_device_mapping=block_device_mapping,
            request_spec=request_spec, host_lists=host_lists)

    def resize_instance(self, context, instance, flavor, request_spec=None,
                        clean_shutdown=True, migration=None, host_list=None,
                        host_name=None):
        """Start a resize or cold migration (``migration`` None), or reschedule one
        to the alternates in ``host_list``. ComputeServiceUnavailable when the
        ``[upgrade_levels] conductor`` pin predates moves."""
        if not self.client.can_send_version('1.1'):
            raise exception.ComputeServiceUnavailable(host='conductor')
        self.client.prepare(version='1.1').cast(
            context, 'resize_instance', instance=instance, flavor=flavor,
            request_spec=request_spec, clean_shutdown=clean_shutdown, migration=migration,
            host_list=host_list, host_name=host_name)

    # --- 1.2: rebuild and unshelve ------------------------------------------------

    def rebuild_instance(self, context, instance, orig_image_ref, image_ref, injected_files,
                         new_pass, preserve_ephemeral=False, host=None, request_spec=None):
        self.client.prepare(version='1.2').cast(
            context, 'rebuild_instance', instance=instance, orig_image_ref=orig_image_ref,
            image_ref=image_ref, injected_files=injected_files, new_pass=new_pass,
            preserve_ephemeral=preserve_ephemeral, host=host, request_spec=request_spec)

    def unshelve_instance(self, context, instance, request_spec=None):
        self.client.prepare(version='1.2').cast(
            context, 'unshelve_instance', instance=instance, request_spec=request_spec)

    def evacuate_instance(self, context, instance, migration, host=None, force=False,
                          admin_password=None, target_state=None):
        """Rebuild a server of a dead host elsewhere (``migration`` is its
        ``evacuation`` record)."""
        if not self.client.can_send_version('1.3'):
            raise exception.ComputeServiceUnavailable(host='conductor')
        self.client.prepare(version='1.3').cast(
            context, 'evacuate_instance', instance=instance, migration=migration, host=host,
            force=force, admin_password=admin_password, target_state=target_state)

    def live_migrate_instance(self, context, instance, host_name, block_migration,
                              disk_over_commit, force=False, async_=True):
        """Live-migrate; waits for conductor's checks unless ``async_`` (2.34)."""
        if not self.client.can_send_version('1.4'):
            raise exception.ComputeServiceUnavailable(host='conductor')
        kwargs = dict(instance=instance, host_name=host_name,
                      block_migration=block_migration, disk_over_commit=disk_over_commit,
                      force=force)
        if async_:
            self.client.prepare(version='1.4').cast(context, 'live_migrate_instance',
                                                    **kwargs)
        else:
            self.client.prepare(version='1.4', timeout=CONF.long_rpc_timeout).call(
                context, 'live_migrate_instance', **kwargs)
