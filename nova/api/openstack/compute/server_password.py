"""``/servers/{id}/os-server-password``: the encrypted password a guest posted.

The guest (through the metadata service) stores its password, encrypted with
the user's public key, in system metadata as four 255-character chunks
``password_0`` .. ``password_3``; the API reads them back or clears them.
"""

import webob.exc

from nova.api.openstack import common
from nova.api.openstack import wsgi
from nova import exception

_POLICY = 'os_compute_api:os-server-password:%s'

PASSWORD_CHUNKS = 4
PASSWORD_CHUNK_LENGTH = 255
MAX_PASSWORD_LENGTH = PASSWORD_CHUNKS * PASSWORD_CHUNK_LENGTH


def extract_password(system_metadata):
    """The stored password (chunks joined), or None when there is none."""
    password = ''.join(system_metadata.get('password_%d' % i) or ''
                       for i in range(PASSWORD_CHUNKS))
    return password or None


def convert_password(password):
    """System-metadata chunks holding ``password`` (None or '' clears every chunk)."""
    password = password or ''
    return {'password_%d' % i:
            password[i * PASSWORD_CHUNK_LENGTH:(i + 1) * PASSWORD_CHUNK_LENGTH]
            for i in range(PASSWORD_CHUNKS)}


class ServerPasswordController(wsgi.Controller):

    def _server(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = common.get_instance(context, server_id,
                                                expected_attrs=['system_metadata'])
        context.can(_POLICY % action, target={'project_id': instance.project_id})
        return instance

    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        instance = self._server(req, server_id, 'show')
        return {'password': extract_password(instance.system_metadata) or ''}

    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def clear(self, req, server_id):
        instance = self._server(req, server_id, 'clear')
        if not instance.obj_attr_is_set('id'):
            # Still a build request: it has no password to clear yet.
            return None
        instance.system_metadata.update(convert_password(None))
        try:
            instance.save()
        except exception.InstanceNotFound as error:
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
