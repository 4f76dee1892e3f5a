"""Exceptions shared across the project.

Every exception carries an HTTP-ish ``code`` so the API layer can map it to
the upstream fault shape without a lookup table, and a ``msg_fmt`` filled from
keyword arguments so callers never hand-format messages.
"""


class NovaException(Exception):
    msg_fmt = "An unknown exception occurred."
    code = 500
    safe = False

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        self.kwargs.setdefault('code', self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                # A caller forgot an argument: keep the template rather than
                # raising a second, less useful error.
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.args[0] if self.args else self.msg_fmt


class Invalid(NovaException):
    msg_fmt = "Bad input: %(reason)s"
    code = 400


class NotFound(NovaException):
    msg_fmt = "Resource could not be found."
    code = 404


class Conflict(NovaException):
    msg_fmt = "Conflict: %(reason)s"
    code = 409


class Forbidden(NovaException):
    msg_fmt = "Forbidden"
    code = 403


# --- database and configuration -------------------------------------------

class DBNotAllowed(NovaException):
    msg_fmt = "%(binary)s attempted direct database access which is not allowed by policy"


class DBConnectionError(NovaException):
    msg_fmt = "Cannot connect to the database: %(reason)s"


class ConfigNotFound(NovaException):
    msg_fmt = "Could not find config at %(path)s"


class InvalidConfiguration(Invalid):
    msg_fmt = "Configuration is invalid: %(reason)s"


# --- cells ------------------------------------------------------------------

class CellMappingNotFound(NotFound):
    msg_fmt = "Cell %(uuid)s has no mapping."


class HostMappingNotFound(NotFound):
    msg_fmt = "Host '%(name)s' is not mapped to any cell"


class HostMappingExists(Invalid):
    msg_fmt = "Host '%(name)s' mapping already exists"


class InstanceMappingNotFound(NotFound):
    msg_fmt = "Instance %(uuid)s has no mapping to a cell."


class CellTimeout(NotFound):
    msg_fmt = "Timeout waiting for response from cell"


# --- services and compute nodes ----------------------------------------------

class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HostBinaryNotFound(NotFound):
    msg_fmt = "Could not find binary %(binary)s on host %(host)s."


class ServiceTopicExists(NovaException):
    msg_fmt = "Service with host %(host)s topic %(topic)s exists."


class ServiceBinaryExists(NovaException):
    msg_fmt = "Service with host %(host)s binary %(binary)s exists."


class ServiceTooOld(Invalid):
    msg_fmt = ("This service is older (v%(thisver)i) than the minimum "
               "(v%(minver)i) version of the rest of the deployment. "
               "Unable to continue.")


class TaskAlreadyRunning(NovaException):
    msg_fmt = "Task %(task_name)s is already running on host %(host)s"


class TaskNotRunning(NovaException):
    msg_fmt = "Task %(task_name)s is not running on host %(host)s"


class CertificateValidationFailed(Invalid):
    msg_fmt = ("Image signature certificate validation failed for certificate: "
               "%(cert_uuid)s. %(reason)s")


class CellNotResponding(NovaException):
    msg_fmt = ("Cell %(cell_uuid)s is not responding or returned an exception, hence "
               "instance info is not available.")


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class ComputeHostNotCreated(NotFound):
    msg_fmt = "Compute host %(name)s needs to be created first before updating."


class ComputeNodeNotFound(NotFound):
    msg_fmt = "Compute node %(compute_id)s could not be found."


class ComputeNodeNotFoundByUUID(ComputeNodeNotFound):
    msg_fmt = "Compute node %(compute_uuid)s could not be found."


class InvalidNodeConfiguration(NovaException):
    msg_fmt = "Invalid node identity configuration: %(reason)s"


# --- instances ---------------------------------------------------------------

class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class InstanceExists(NovaException):
    msg_fmt = "Instance %(name)s already exists."


class InstanceInvalidState(Invalid):
    msg_fmt = ("Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot "
               "%(method)s while the instance is in this state.")


# --- rebuild, rescue, shelve ------------------------------------------------------

class PreserveEphemeralNotSupported(Invalid):
    msg_fmt = ("The current driver does not support preserving ephemeral "
               "partitions.")


class InstanceNotRescuable(Invalid):
    msg_fmt = "Instance %(instance_id)s cannot be rescued: %(reason)s"


class RescueException(NovaException):
    msg_fmt = "Failed to rescue instance %(instance_id)s: %(reason)s"


class InstanceUnRescueFailure(NovaException):
    msg_fmt = "Failed to unrescue instance %(instance_id)s: %(reason)s"


class UnshelveInstanceInvalidState(InstanceInvalidState):
    msg_fmt = ("The unshelve parameter(s) %(params)s require the instance to be "
               "in %(state)s; it is in %(instance_state)s.")


class UnshelveHostNotInAZ(Invalid):
    msg_fmt = ("Host '%(host)s' is not in the availability zone "
               "'%(availability_zone)s'.")


class ShelvedImageNotFound(NotFound):
    msg_fmt = "The image %(image_id)s the server was shelved to could not be found."


class UnexpectedTaskStateError(NovaException):
    msg_fmt = ("Unexpected task state: expecting %(expected)s but "
               "the actual state is %(actual)s")
    code = 409


class InstanceActionNotFound(NotFound):
    msg_fmt = "Action for request_id %(request_id)s on instance %(instance_uuid)s not found"


class InstanceActionEventNotFound(NotFound):
    msg_fmt = "Event %(event)s not found for action id %(action_id)s"


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class FlavorNotFoundByName(FlavorNotFound):
    msg_fmt = "Flavor with name %(flavor_name)s could not be found."


class FlavorExists(Conflict):
    msg_fmt = "Flavor with name %(name)s already exists."


class FlavorIdExists(Conflict):
    msg_fmt = "Flavor with ID %(flavor_id)s already exists."


class FlavorExtraSpecsNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s has no extra specs with key %(extra_specs_key)s."


class FlavorAccessExists(Conflict):
    msg_fmt = "Flavor access already exists for flavor %(flavor_id)s and project %(project_id)s."


class FlavorAccessNotFound(NotFound):
    msg_fmt = "Flavor access not found for %(flavor_id)s / %(project_id)s combination."


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class KeyPairExists(Conflict):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class BuildRequestNotFound(NotFound):
    msg_fmt = "BuildRequest not found for instance %(uuid)s"


class RequestSpecNotFound(NotFound):
    msg_fmt = "RequestSpec not found for instance %(instance_uuid)s"


class AggregateNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s could not be found."


class AggregateNameExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_name)s already exists."


class AggregateHostExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_id)s already has host %(host)s."


class AggregateHostNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s has no host %(host)s."


class AggregateMetadataNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s has no metadata with key %(metadata_key)s."


class InstanceGroupNotFound(NotFound):
    msg_fmt = "Instance group %(group_uuid)s could not be found."


class InstanceGroupIdExists(Conflict):
    msg_fmt = "Instance group %(group_uuid)s already exists."


class MigrationNotFound(NotFound):
    msg_fmt = "Migration %(migration_id)s could not be found."


class TagNotFound(NotFound):
    msg_fmt = "Tag %(tag)s not found for instance %(instance_id)s"


class TooManyInstanceTags(Invalid):
    msg_fmt = "Too many tags on instance %(instance_id)s"


class ConsoleAuthTokenNotFound(NotFound):
    msg_fmt = "Console auth token not found"


class QuotaNotFound(NotFound):
    msg_fmt = "Quota could not be found"


class ProjectQuotaNotFound(QuotaNotFound):
    msg_fmt = "Quota for project %(project_id)s could not be found."


class QuotaClassNotFound(QuotaNotFound):
    msg_fmt = "Quota class %(class_name)s could not be found."


class QuotaExists(NovaException):
    msg_fmt = "Quota exists for project %(project_id)s, resource %(resource)s"


class BlockDeviceMappingNotFound(NotFound):
    msg_fmt = "Block device mapping %(id)s could not be found."


# --- objects and RPC ---------------------------------------------------------

class ObjectActionError(NovaException):
    msg_fmt = 'Object action %(action)s failed because: %(reason)s'


class OrphanedObjectError(NovaException):
    msg_fmt = 'Cannot call %(method)s on orphaned %(objtype)s object'


class IncompatibleObjectVersion(NovaException):
    msg_fmt = ('Version %(objver)s of %(objname)s is not supported, '
               'supported version is %(supported)s')


# --- virt / placement ----------------------------------------------------------

class VirtDriverNotFound(NovaException):
    msg_fmt = "Could not load virt driver %(name)s"


class NoValidHost(NovaException):
    msg_fmt = "No valid host was found. %(reason)s"


class PlacementAPIConnectFailure(NovaException):
    msg_fmt = "Unable to communicate with the Placement API."


class ResourceProviderCreationFailed(NovaException):
    msg_fmt = "Failed to create resource provider %(name)s"


class ResourceProviderRetrievalFailed(NovaException):
    msg_fmt = "Failed to get resource provider with UUID %(uuid)s"


class ResourceProviderUpdateFailed(NovaException):
    msg_fmt = "Failed to update resource provider via URL %(url)s: %(error)s"


class ResourceProviderUpdateConflict(NovaException):
    msg_fmt = ("A conflict was encountered attempting to update resource "
               "provider %(uuid)s (generation %(generation)d): %(error)s")


# --- objects and their database helpers (added with the object families) -----

class InvalidUUID(Invalid):
    msg_fmt = "Expected a uuid but received %(uuid)s."


class InvalidInput(Invalid):
    msg_fmt = "Invalid input received: %(reason)s"


class InvalidSortKey(Invalid):
    msg_fmt = "Sort key supplied was not valid."


class MarkerNotFound(NotFound):
    msg_fmt = "Marker %(marker)s could not be found."


class ConstraintNotMet(NovaException):
    msg_fmt = "Constraint not met."
    code = 412


class UnexpectedDeletingTaskStateError(UnexpectedTaskStateError):
    pass


class UnexpectedVMStateError(NovaException):
    msg_fmt = ("Unexpected VM state: expecting %(expected)s but "
               "the actual state is %(actual)s")


class InstanceTagNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s has no tag '%(tag)s'"


class InstanceFaultRollback(NovaException):
    def __init__(self, inner_exception=None):
        message = "Instance rollback performed due to: %s"
        self.inner_exception = inner_exception
        super().__init__(message % inner_exception)


class FlavorAccessNotFoundForProject(FlavorAccessNotFound):
    pass


class FlavorExtraSpecUpdateCreateFailed(NovaException):
    msg_fmt = ("Flavor %(id)s extra spec cannot be updated or created "
               "after %(retries)d retries.")


class KeypairLimitExceeded(NovaException):
    msg_fmt = "Maximum number of key pairs exceeded"
    code = 403


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


class BuildRequestAlreadyExists(Invalid):
    msg_fmt = "BuildRequest already exists for instance %(uuid)s"


class AggregateMetadataKeyExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_id)s already has metadata with key %(key)s."


class AggregateUpdateFailed(NovaException):
    msg_fmt = "Aggregate %(aggregate_id)s update failed: %(reason)s"


class InstanceGroupMemberNotFound(NotFound):
    msg_fmt = "Instance group %(group_uuid)s has no member %(instance_id)s."


class InstanceGroupSaveException(NovaException):
    msg_fmt = "%(field)s should not be part of the updates."


class MigrationNotFoundByStatus(MigrationNotFound):
    msg_fmt = "Migration not found for instance %(instance_id)s with status %(status)s."


class MigrationNotFoundForInstance(MigrationNotFound):
    msg_fmt = "Migration %(migration_id)s not found for instance %(instance_id)s"


class InvalidMigrationState(Invalid):
    msg_fmt = ("Migration %(migration_id)s state of instance %(instance_uuid)s is "
               "%(state)s. Cannot %(method)s while the migration is in this state.")


class InvalidBDM(Invalid):
    msg_fmt = "Block Device Mapping is Invalid: %(reason)s"


class InstanceActionEventNotFoundById(NotFound):
    msg_fmt = "Event %(event_id)s not found for action id %(action_id)s"


class InvalidToken(Invalid):
    msg_fmt = "The token '%(token)s' is invalid or has expired"


class TokenInUse(Invalid):
    msg_fmt = "The generated token is invalid"


class InstanceInfoCacheNotFound(NotFound):
    msg_fmt = "Info cache for instance %(instance_uuid)s could not be found."


class VolumeBDMNotFound(NotFound):
    msg_fmt = "No volume Block Device Mapping with id %(volume_id)s."


class VolumeBDMIsMultiAttach(Invalid):
    msg_fmt = ("Block Device Mapping %(volume_id)s is a multi-attach volume and is "
               "not valid for this operation.")


class ProjectUserQuotaNotFound(QuotaNotFound):
    msg_fmt = "Quota for user %(user_id)s in project %(project_id)s could not be found."


# --- REST API (added by the API framework) ---

class NotAuthorized(NovaException):
    msg_fmt = "Not authorized."
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class ValidationError(Invalid):
    """A request body or query string failed its JSON schema."""
    msg_fmt = "%(detail)s"


class VersionNotFoundForAPIMethod(Invalid):
    msg_fmt = "API version %(version)s is not supported on this method."
    code = 404


# --- scheduling and Placement allocations (added by the scheduler) ---

class AllocationUpdateFailed(NovaException):
    msg_fmt = "Failed to update allocations for consumer %(consumer_uuid)s. Error: %(error)s"


class AllocationDeleteFailed(NovaException):
    msg_fmt = ("Failed to delete allocations for consumer %(consumer_uuid)s. "
               "Error: %(error)s")


class ConsumerAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for consumer %(consumer_uuid)s: %(error)s"


class AllocationCreateFailed(NovaException):
    msg_fmt = ("Failed to create allocations for instance %(instance)s against resource "
               "provider %(provider)s.")


class ResourceProviderAllocationRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve allocations for resource provider %(rp_uuid)s: %(error)s"


class TooManyComputesForHost(NovaException):
    msg_fmt = ("Unexpected number of compute node records (%(num_computes)d) found for "
               "host %(host)s. There should only be a one-to-one mapping.")


class UsagesRetrievalFailed(NovaException):
    msg_fmt = "Failed to retrieve usages for project %(project_id)s and user %(user_id)s."


class ClassNotFound(NotFound):
    msg_fmt = "Class %(class_name)s could not be found: %(exception)s"


class SchedulerHostFilterNotFound(NotFound):
    msg_fmt = "Scheduler Host Filter %(filter_name)s could not be found."


# --- images (Glance) ---

class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class ImageNotAuthorized(NovaException):
    msg_fmt = "Not authorized for image %(image_id)s."
    code = 403


class ImageNotActive(NovaException):
    msg_fmt = "Image %(image_id)s is not active."
    code = 400


class ImageUnacceptable(Invalid):
    msg_fmt = "Image %(image_id)s is unacceptable: %(reason)s"


class ImageBadRequest(Invalid):
    msg_fmt = "The image service refused a request about %(image_id)s: %(response)s"


class ImageDeleteConflict(NovaException):
    msg_fmt = "Conflict deleting image. Reason: %(reason)s."
    code = 409


class GlanceConnectionFailed(NovaException):
    msg_fmt = "Connection to glance host %(server)s failed: %(reason)s"
    code = 503


class ImageServiceError(NovaException):
    msg_fmt = "The image service answered %(status)s to %(method)s %(path)s: %(reason)s"
    code = 502


# --- boot flow (compute API / conductor / compute manager) ---

class OverQuota(NovaException):
    msg_fmt = "Quota exceeded for resources: %(overs)s"
    code = 403


class TooManyInstances(OverQuota):
    msg_fmt = ("Quota exceeded for %(overs)s: Requested %(req)s, but already used "
               "%(used)s of %(allowed)s %(overs)s")


class InstanceIsLocked(InstanceInvalidState):
    msg_fmt = "Instance %(instance_uuid)s is locked"
    code = 409


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = "Flavor's memory is too small for requested image."


class FlavorDiskTooSmall(Invalid):
    msg_fmt = "Flavor's disk is too small for requested image."


class FlavorDiskSmallerThanImage(FlavorDiskTooSmall):
    msg_fmt = ("Flavor's disk is too small for requested image. Flavor disk "
               "is %(flavor_size)i bytes, image is %(image_size)i bytes.")


class InvalidRequest(Invalid):
    msg_fmt = "The request is invalid."


class NetworkNotFound(NotFound):
    msg_fmt = "Network %(network_id)s could not be found."


class NetworkServiceUnavailable(Invalid):
    msg_fmt = ("Networks were requested (%(requested)s) but no network service is "
               "configured; boot with networks 'none' or 'auto'.")


# --- networking (Neutron) -----------------------------------------------------

class NeutronClientError(NovaException):
    """Neutron answered a request with an error Nova cannot put on the caller."""
    msg_fmt = "Networking service error: %(method)s %(path)s answered %(status)s: %(reason)s"
    code = 500


class NeutronConnectionFailed(NovaException):
    msg_fmt = "Connection to the networking service failed: %(reason)s"
    code = 503


class CinderConnectionFailed(NovaException):
    msg_fmt = "Connection to cinder host failed: %(reason)s"
    code = 503


class VolumeNotFound(NotFound):
    msg_fmt = "Volume %(volume_id)s could not be found."


class SnapshotNotFound(NotFound):
    msg_fmt = "Snapshot %(snapshot_id)s could not be found."


class VolumeAttachmentNotFound(NotFound):
    msg_fmt = "Volume attachment %(attachment_id)s could not be found."


class InvalidVolume(Invalid):
    msg_fmt = "Invalid volume: %(reason)s"


class MultiattachNotSupportedByVirtDriver(NovaException):
    msg_fmt = ("Volume %(volume_id)s has 'multiattach' set, which is not supported for "
               "this instance.")
    code = 409


class MultiattachNotSupportedOldMicroversion(Invalid):
    msg_fmt = ("Multiattach volumes are only supported starting with compute API "
               "version 2.60.")


class VolumeNotCreated(NovaException):
    msg_fmt = ("Volume %(volume_id)s did not finish being created even after we waited "
               "%(seconds)s seconds or %(attempts)s attempts. And its status is "
               "%(volume_status)s.")


class VolumeRebaseFailed(NovaException):
    msg_fmt = "Volume rebase failed: %(reason)s"


class DeviceDetachFailed(NovaException):
    msg_fmt = "Device detach failed for %(device)s: %(reason)s"


class VolumeDriverNotFound(NotFound):
    msg_fmt = "Could not find a handler for %(driver_type)s volume."


class PortNotFound(NotFound):
    msg_fmt = "Port id %(port_id)s could not be found."


class PortInUse(Invalid):
    msg_fmt = "Port %(port_id)s is still in use."
    code = 409


class PortNotUsable(Invalid):
    msg_fmt = "Port %(port_id)s not usable for instance %(instance)s."


class PortRequiresFixedIP(Invalid):
    msg_fmt = "Port %(port_id)s requires a FixedIP in order to be used."


class PortBindingFailed(Invalid):
    msg_fmt = ("Binding failed for port %(port_id)s, please check neutron logs for more "
               "information.")


class NetworkRequiresSubnet(Invalid):
    msg_fmt = "Network %(network_uuid)s requires a subnet in order to boot instances on."


class NetworkAmbiguous(Invalid):
    msg_fmt = ("More than one possible network found. Specify network ID(s) to select "
               "which one(s) to connect to.")
    code = 409


class ExternalNetworkAttachForbidden(Forbidden):
    msg_fmt = "It is not allowed to create an interface on external network %(network_uuid)s"


class UnableToAutoAllocateNetwork(Invalid):
    msg_fmt = "Unable to automatically allocate a network for project %(project_id)s"


class FixedIpAlreadyInUse(NovaException):
    msg_fmt = "Fixed IP address %(address)s is already in use on instance %(instance_uuid)s."
    code = 400


class FixedIpInvalidOnHost(Invalid):
    msg_fmt = "The fixed IP %(address)s is not valid on network %(network_id)s."


class MultiplePortsNotApplicable(Invalid):
    msg_fmt = "Failed to launch instances: %(reason)s"


class InvalidFixedIpAndMaxCountRequest(Invalid):
    msg_fmt = "Failed to launch instances: %(reason)s"


class InterfaceAttachFailed(Invalid):
    msg_fmt = "Failed to attach network adapter device to %(instance_uuid)s"


class InterfaceAttachFailedNoNetwork(Invalid):
    msg_fmt = ("No specific network was requested and none are available for project "
               "'%(project_id)s'.")


class InterfaceDetachFailed(Invalid):
    msg_fmt = "Failed to detach network adapter device from %(instance_uuid)s"


class AttachInterfaceNotSupported(Invalid):
    msg_fmt = "Attaching interfaces is not supported for instance %(instance_uuid)s."


class NetworkInterfaceTaggedAttachNotSupported(Invalid):
    msg_fmt = "Tagged network interface attach is not supported by this compute service."


class SecurityGroupNotFound(NotFound):
    msg_fmt = "Security group %(security_group_id)s not found."


class SecurityGroupLimitExceeded(Forbidden):
    msg_fmt = "Quota exceeded, too many security groups."


class SecurityGroupCannotBeApplied(Invalid):
    msg_fmt = ("Network requires port_security_enabled and subnet associated in order to "
               "apply security groups.")


class InvalidCidr(Invalid):
    msg_fmt = "%(cidr)s is not a valid IP network."


class InvalidIpProtocol(Invalid):
    msg_fmt = "Invalid IP protocol %(protocol)s."


class InvalidPortRange(Invalid):
    msg_fmt = "Invalid port range %(from_port)s:%(to_port)s. %(msg)s"


class NoUniqueMatch(NovaException):
    msg_fmt = "No Unique Match Found."
    code = 409


class FloatingIpNotFound(NotFound):
    msg_fmt = "Floating IP not found for ID %(id)s."


class FloatingIpNotFoundForAddress(NotFound):
    msg_fmt = "Floating IP not found for address %(address)s."


class FloatingIpMultipleFoundForAddress(NovaException):
    msg_fmt = "Multiple floating IPs are found for address %(address)s."


class FloatingIpPoolNotFound(NotFound):
    msg_fmt = "Floating IP pool not found."


class NoMoreFloatingIps(FloatingIpNotFound):
    msg_fmt = "Zero floating IPs available."


class FloatingIpAssociated(Invalid):
    msg_fmt = "Floating IP %(address)s is associated."


class FloatingIpBadRequest(Invalid):
    msg_fmt = "Bad floating IP request: %(reason)s"


class FixedIpNotFoundForAddress(NotFound):
    msg_fmt = "Fixed IP not found for address %(address)s."


class VirtualInterfaceCreateException(NovaException):
    msg_fmt = "Virtual Interface creation failed"


class InstanceEventTimeout(NovaException):
    msg_fmt = "Timed out waiting for events %(events)s of instance %(instance_uuid)s"


class NeutronEventFailed(NovaException):
    msg_fmt = "Neutron reported failure on event %(event)s for instance %(instance_uuid)s"


class VirtualInterfacePlugException(NovaException):
    msg_fmt = "Failed to plug virtual interface: %(reason)s"


class VirtualInterfaceUnplugException(NovaException):
    msg_fmt = "Failed to unplug virtual interface: %(reason)s"


class InvalidAvailabilityZone(Invalid):
    msg_fmt = "The requested availability zone is not available"


class RescheduledException(NovaException):
    msg_fmt = "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s"


class BuildAbortException(NovaException):
    msg_fmt = "Build of instance %(instance_uuid)s aborted: %(reason)s"


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = "Exceeded maximum number of retries. %(reason)s"


class InstanceBuildTimeout(NovaException):
    msg_fmt = ("Build of instance %(instance_uuid)s did not finish within "
               "%(timeout)s seconds (instance_build_timeout).")


# -- config drive ------------------------------------------------------------

class ConfigDriveError(NovaException):
    msg_fmt = "Config drive creation failed: %(reason)s"


# --- aggregates and availability zones (admin API) ---------------------------

class InvalidAggregateAction(Invalid):
    msg_fmt = ("Unacceptable parameters: cannot %(action)s aggregate %(aggregate_id)s. "
               "Reason: %(reason)s.")


class InvalidAggregateActionAdd(InvalidAggregateAction):
    msg_fmt = "Cannot add host to aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionDelete(InvalidAggregateAction):
    msg_fmt = "Cannot remove host from aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionUpdate(InvalidAggregateAction):
    msg_fmt = "Cannot update aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionUpdateMeta(InvalidAggregateAction):
    msg_fmt = "Cannot update metadata of aggregate %(aggregate_id)s. Reason: %(reason)s."


# --- libvirt driver (added by the libvirt driver) ---

class HypervisorUnavailable(NovaException):
    msg_fmt = "Connection to the hypervisor is broken on host: %(host)s"


# --- live migration ---

class MigrationPreCheckError(Invalid):
    msg_fmt = "Migration pre-check error: %(reason)s"


class UnableToMigrateToSelf(Invalid):
    msg_fmt = ("Unable to migrate instance (%(instance_id)s) to current host "
               "(%(host)s).")


class InvalidLocalStorage(Invalid):
    msg_fmt = "%(path)s is not on local storage: %(reason)s"


class InvalidSharedStorage(Invalid):
    msg_fmt = "%(path)s is not on shared storage: %(reason)s"


class MigrationError(NovaException):
    msg_fmt = "Migration error: %(reason)s"


class LiveMigrationAborted(NovaException):
    msg_fmt = "Live migration of instance %(instance_uuid)s was aborted."


class ConsoleTypeUnavailable(Invalid):
    msg_fmt = "Unavailable console type %(console_type)s."


class ConsoleTypeInvalid(Invalid):
    msg_fmt = "Invalid console type %(console_type)s"


class TriggerCrashDumpNotSupported(Invalid):
    msg_fmt = "Triggering crash dump is not supported"


class InstancePowerOffFailure(Invalid):
    msg_fmt = "Failed to power off instance: %(reason)s"


class InstanceRebootFailure(Invalid):
    msg_fmt = "Failed to reboot instance: %(reason)s"


class InstanceSuspendFailure(Invalid):
    msg_fmt = "Failed to suspend instance: %(reason)s"


class InstancePowerOnFailure(Invalid):
    msg_fmt = "Failed to power on instance: %(reason)s"


class InstanceResumeFailure(Invalid):
    msg_fmt = "Failed to resume instance: %(reason)s"


class InstanceDeployFailure(NovaException):
    msg_fmt = "Failed to deploy instance: %(reason)s"


class InvalidDiskFormat(Invalid):
    msg_fmt = "Disk format %(disk_format)s is not acceptable"


class DatastoreNotFound(NotFound):
    msg_fmt = "Could not find a usable datastore: %(reason)s"


class SocketPortRangeExhaustedException(NovaException):
    msg_fmt = "Not able to acquire a free port for %(host)s"


class InternalError(NovaException):
    msg_fmt = "%(err)s"


# --- server metadata, tags, groups, password, external events (apiA) ---

class QuotaError(NovaException):
    msg_fmt = "Quota exceeded: code=%(code)s"
    code = 413


class PortLimitExceeded(QuotaError):
    msg_fmt = "Maximum number of ports exceeded"
    code = 403


class FloatingIpLimitExceeded(QuotaError):
    msg_fmt = "Maximum number of floating IPs exceeded"
    code = 403


class MetadataLimitExceeded(QuotaError):
    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"
    code = 403


class InvalidMetadata(Invalid):
    msg_fmt = "Invalid metadata: %(reason)s"


class InvalidMetadataSize(Invalid):
    msg_fmt = "Invalid metadata size: %(reason)s"


class InstanceGroupMembersQuotaExceeded(QuotaError):
    msg_fmt = "Quota exceeded, too many servers in group"
    code = 403


# --- quota (per-request limits) ---------------------------------------------------

class OnsetFileLimitExceeded(Forbidden):
    msg_fmt = "Personality file limit exceeded"


class OnsetFilePathLimitExceeded(OnsetFileLimitExceeded):
    msg_fmt = "Personality file path exceeds maximum %(allowed)s"


class OnsetFileContentLimitExceeded(OnsetFileLimitExceeded):
    msg_fmt = "Personality file content exceeds maximum %(allowed)s"


class InvalidQuotaValue(Invalid):
    msg_fmt = ("Change would make usage less than 0 for the following resources: "
               "%(unders)s")


# --- block device mappings of a create (apiA) ---

class InvalidBDMFormat(InvalidBDM):
    msg_fmt = "Block Device Mapping is Invalid: %(details)s"


class InvalidBDMBootSequence(InvalidBDM):
    msg_fmt = ("Block Device Mapping is Invalid: Boot sequence for the instance and "
               "image/block device mapping combination is not valid.")


class InvalidBDMLocalsLimit(InvalidBDM):
    msg_fmt = ("Block Device Mapping is Invalid: You specified more local devices than "
               "the limit allows")


class InvalidBDMEphemeralSize(InvalidBDM):
    msg_fmt = ("Ephemeral disks requested are larger than the instance type allows. If "
               "no size is given in one block device mapping, flavor ephemeral size will "
               "be used.")


class InvalidBDMSwapSize(InvalidBDM):
    msg_fmt = "Swap drive requested is larger than instance type allows."


class InvalidBDMFormatMultipleSwap(InvalidBDM):
    msg_fmt = "More than one swap drive requested."


class InvalidBDMVolume(InvalidBDM):
    msg_fmt = "Block Device Mapping is Invalid: failed to get volume %(id)s."


class InvalidBDMSnapshot(InvalidBDM):
    msg_fmt = "Block Device Mapping is Invalid: failed to get snapshot %(id)s."


class VolumeTypeNotFound(NotFound):
    msg_fmt = "Volume type %(id_or_name)s could not be found."


# --- hypervisor host queries ---------------------------------------------------------

class ComputeServiceUnavailable(Invalid):
    msg_fmt = "Compute service of %(host)s is unavailable at this time."


# --- server actions (power, snapshot, lock, console output) ---

class InstanceNotReady(InstanceInvalidState):
    msg_fmt = "Instance %(instance_id)s is not ready"
    code = 409


class InstanceNotRunning(InstanceInvalidState):
    msg_fmt = "Instance %(instance_id)s is not running."
    code = 409


class ConsoleOutputNotAvailable(NovaException):
    msg_fmt = "Guest does not have a console available."
    code = 404


# --- resize, cold migration and evacuation ---

class CannotResizeToSameFlavor(Invalid):
    msg_fmt = "When resizing, instances must change flavor!"


class CannotResizeDisk(Invalid):
    msg_fmt = "Server disk was unable to be resized because: %(reason)s"


class ResizeError(Invalid):
    msg_fmt = "Resize error: %(reason)s"


class CannotMigrateToSameHost(Invalid):
    msg_fmt = "Cannot migrate to the host where the server exists."


class ComputeServiceInUse(NovaException):
    msg_fmt = "Compute service of %(host)s is still in use."
    code = 409


class EvacuateToSameHost(Invalid):
    msg_fmt = "The target host can't be the same one."
