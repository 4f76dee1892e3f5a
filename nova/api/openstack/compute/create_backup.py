"""createBackup: a snapshot kept among the newest ``rotation`` of its type."""

from nova.api.openstack.compute import action_base
from nova.api.openstack.compute import server_actions
from nova.api.openstack.compute.schemas import create_backup as schema
from nova.api.openstack import wsgi
from nova.api import validation


class CreateBackupController(action_base.ServerActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.action('createBackup')
    @validation.schema(schema.create_backup_v20, '2.0', '2.0')
    @validation.schema(schema.create_backup, '2.1')
    def _create_backup(self, req, id, body):
        context, instance = self._authorized(req, id, 'os_compute_api:os-create-backup',
                                             expected_attrs=['system_metadata', 'flavor'])
        entity = body['createBackup']
        with self._conflicts('createBackup', id):
            image = self.compute_api.backup(
                context, instance, entity['name'], entity['backup_type'],
                int(entity['rotation']), extra_properties=entity.get('metadata'))
        return server_actions.image_response(req, image)
