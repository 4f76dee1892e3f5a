"""The guest's encrypted admin password (``openstack/<version>/password``).

A guest agent POSTs the password, encrypted with the user's key, once; the
user reads it back with GET /servers/{id}/os-server-password.  It is kept
in the instance's system metadata as four 255-character chunks
(``password_0`` .. ``password_3``).
"""

CHUNKS = 4
CHUNK_LENGTH = 255
MAX_SIZE = CHUNKS * CHUNK_LENGTH


def extract_password(instance):
    """The stored password, '' when none was posted."""
    sys_meta = instance.system_metadata or {}
    return ''.join(sys_meta.get('password_%d' % index) or ''
                   for index in range(CHUNKS))


def convert_password(password):
    """System metadata keys for ``password`` ('' clears every chunk)."""
    password = password or ''
    return {'password_%d' % index:
            password[index * CHUNK_LENGTH:(index + 1) * CHUNK_LENGTH]
            for index in range(CHUNKS)}


def set_password(instance, password):
    """Store ``password`` on the instance (saves it)."""
    sys_meta = dict(instance.system_metadata or {})
    sys_meta.update(convert_password(password))
    instance.system_metadata = sys_meta
    instance.save()
