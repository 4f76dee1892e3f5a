"""``nova-manage volume_attachment``: show, get_connector, refresh.

``show`` prints the block device mapping of a volume attached to a server
(or only its connection info); ``get_connector`` prints this host's
connector, the one nova-compute gives Cinder; ``refresh`` gives a stopped,
unlocked server's volume a new attachment made with a connector read from a
file (the host's address changed, say), completes it, deletes the old one
and records the new connection info. Exit codes are upstream's.
"""

import os

from oslo_serialization import jsonutils

from nova.cmd import manage_common as common
from nova.compute import vm_states
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.virt import driver as virt_driver
from nova.volume import cinder

args = common.args

# refresh's exit codes (show uses 2 and 3 of them too, as upstream)
UNEXPECTED = 1
CONNECTOR_MISSING = 2
CONNECTOR_UNREADABLE = 3
INSTANCE_NOT_FOUND = 4
INSTANCE_STATE = 5
NOT_ATTACHED = 6
WRONG_HOST = 7
LOCK_REASON = 'Refreshing connection_info'

_SHOWN = ('uuid', 'instance_uuid', 'volume_id', 'attachment_id', 'device_name',
          'source_type', 'destination_type', 'boot_index', 'delete_on_termination',
          'disk_bus', 'device_type', 'volume_size', 'volume_type', 'tag',
          'connection_info', 'created_at', 'updated_at')


def _fields(bdm):
    return {name: getattr(bdm, name) for name in _SHOWN if bdm.obj_attr_is_set(name)}


def _print_dict(values, as_json):
    if as_json:
        print(jsonutils.dumps(values, default=str, sort_keys=True))
    else:
        print(common.table(['Field', 'Value'], sorted(values.items()),
                           align='l'))


def _instance_and_bdm(ctxt, instance_uuid, volume_id):
    """(cell context, instance, bdm); InstanceNotFound or VolumeBDMNotFound."""
    try:
        mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, instance_uuid)
    except exception.InstanceMappingNotFound:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    if mapping.cell_mapping is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    with nova_context.target_cell(ctxt, mapping.cell_mapping) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, instance_uuid,
                                                expected_attrs=['system_metadata'])
        bdm = objects.BlockDeviceMapping.get_by_volume_and_instance(
            cctxt, volume_id, instance_uuid)
    return cctxt, instance, bdm


class VolumeAttachmentCommands:
    """Commands for managing volume attachments."""

    @args('instance_uuid', metavar='<instance_uuid>')
    @args('volume_id', metavar='<volume_id>')
    @args('--connection_info', action='store_true', default=False, dest='connection_info',
          help='Only the connection info of the attachment.')
    @args('--json', action='store_true', dest='json', default=False,
          help='JSON instead of a table.')
    def show(self, instance_uuid=None, volume_id=None, connection_info=False, json=False):
        """Show the details of a volume attachment."""
        ctxt = nova_context.get_admin_context()
        try:
            _, _, bdm = _instance_and_bdm(ctxt, instance_uuid, volume_id)
        except exception.InstanceNotFound as error:
            print(error.format_message())
            return 2
        except exception.VolumeBDMNotFound as error:
            print(error.format_message())
            return 3
        except Exception as error:
            print('Unexpected error: %s' % error)
            return UNEXPECTED
        if connection_info:
            info = jsonutils.loads(bdm.connection_info) if bdm.connection_info else {}
            if json:
                print(jsonutils.dumps(info, sort_keys=True))
            else:
                _print_dict({k: jsonutils.dumps(v) if isinstance(v, (dict, list)) else v
                             for k, v in info.items()}, False)
            return 0
        _print_dict(_fields(bdm), json)
        return 0

    @args('--json', action='store_true', dest='json', default=False,
          help='JSON instead of a table.')
    def get_connector(self, json=False):
        """Print the host connector of this compute host."""
        try:
            connector = virt_driver.volume_connector()
        except Exception as error:
            print('Unexpected error: %s' % error)
            return UNEXPECTED
        _print_dict(connector, json)
        return 0

    @args('instance_uuid', metavar='<instance_uuid>')
    @args('volume_id', metavar='<volume_id>')
    @args('connector_path', metavar='<connector_path>',
          help='A JSON file with the connector, as get_connector --json prints it.')
    def refresh(self, instance_uuid=None, volume_id=None, connector_path=None):
        """Refresh the connection info of a volume attachment."""
        if not connector_path or not os.path.exists(connector_path):
            print('Connector file %s does not exist' % connector_path)
            return CONNECTOR_MISSING
        try:
            with open(connector_path) as f:
                connector = jsonutils.loads(f.read())
            if not isinstance(connector, dict):
                raise ValueError('not a JSON object')
        except (OSError, ValueError) as error:
            print('Could not read the connector from %s: %s' % (connector_path, error))
            return CONNECTOR_UNREADABLE
        ctxt = nova_context.get_admin_context()
        try:
            cctxt, instance, bdm = _instance_and_bdm(ctxt, instance_uuid, volume_id)
        except exception.InstanceNotFound as error:
            print(error.format_message())
            return INSTANCE_NOT_FOUND
        except exception.VolumeBDMNotFound as error:
            print(error.format_message())
            return NOT_ATTACHED
        except Exception as error:
            print('Unexpected error: %s' % error)
            return UNEXPECTED
        if instance.vm_state != vm_states.STOPPED or instance.locked:
            print('Instance %s must be stopped and unlocked (it is %s%s)' % (
                instance.uuid, instance.vm_state, ', locked' if instance.locked else ''))
            return INSTANCE_STATE
        if connector.get('host') != instance.host:
            print('The connector is of host %s, the instance is on %s' % (
                connector.get('host'), instance.host))
            return WRONG_HOST
        try:
            return self._refresh(cctxt, instance, bdm, connector)
        except Exception as error:
            print('Unexpected error: %s' % error)
            return UNEXPECTED

    @staticmethod
    def _refresh(cctxt, instance, bdm, connector):
        instance.locked = True
        instance.locked_by = 'admin'
        instance.system_metadata['locked_reason'] = LOCK_REASON
        instance.save()
        try:
            client = cinder.get_client(cctxt, admin=True)
            attachment = client.attachment_create(bdm.volume_id, instance.uuid, connector,
                                                  bdm.device_name)
            try:
                client.attachment_complete(attachment['id'])
            except Exception:
                client.attachment_delete(attachment['id'])
                raise
            old = bdm.attachment_id
            info = dict(attachment.get('connection_info') or {}, serial=bdm.volume_id,
                        mountpoint=bdm.device_name)
            bdm.attachment_id = attachment['id']
            bdm.connection_info = jsonutils.dumps(info)
            bdm.save()
            if old:
                client.attachment_delete(old)
            print('Volume %s of instance %s: attachment %s replaced by %s' % (
                bdm.volume_id, instance.uuid, old, attachment['id']))
            return 0
        finally:
            instance.locked = False
            instance.locked_by = None
            instance.system_metadata.pop('locked_reason', None)
            instance.save()
