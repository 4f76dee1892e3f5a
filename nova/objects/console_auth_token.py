"""Console auth tokens (cell DB): short-lived permission to open one server's console.

Only the sha256 hash of a token is stored; the token itself exists in the
object that authorized it (and in the URL handed to the user).
"""

import hashlib
from urllib import parse as urlparse

from oslo_utils import timeutils
from oslo_utils import uuidutils

import nova.conf
from nova.db.main import api as db
from nova import exception
from nova.objects import base
from nova.objects import fields

CONF = nova.conf.CONF


def hash_token(token):
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


@base.NovaObjectRegistry.register
class ConsoleAuthToken(base.NovaTimestampObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'console_type': fields.StringField(nullable=False),
        'host': fields.StringField(nullable=False),
        'port': fields.IntegerField(nullable=False),
        'tls_port': fields.IntegerField(nullable=True),
        'internal_access_path': fields.StringField(nullable=True),
        'instance_uuid': fields.UUIDField(nullable=False),
        'access_url_base': fields.StringField(nullable=True),
        # Only set on the object that authorized it; never read back from the DB.
        'token': fields.SensitiveStringField(nullable=False),
        'expires': fields.IntegerField(nullable=False),
    }

    @property
    def access_url(self):
        """The URL the user opens: the proxy's base URL carrying the token."""
        if not self.obj_attr_is_set('id'):
            return None
        if self.console_type == 'novnc':
            # noVNC reads the token from the websocket path it is told to use.
            return '%s?%s' % (self.access_url_base,
                              urlparse.urlencode({'path': '?token=%s' % self.token}))
        return '%s?token=%s' % (self.access_url_base, self.token)

    @staticmethod
    def _from_db_object(context, obj, db_obj):
        for key in obj.fields:
            if key == 'token':
                continue
            setattr(obj, key, db_obj[key])
        obj._context = context
        obj.obj_reset_changes()
        return obj

    @base.remotable
    def authorize(self, ttl=None):
        """Store a new token valid for ``ttl`` seconds and return it (the only time).

        Without ``ttl`` the token lives ``[consoleauth] token_ttl`` seconds.
        """
        if ttl is None:
            ttl = default_ttl()
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='authorize',
                                              reason='must be a new object to authorize')
        token = uuidutils.generate_uuid()
        values = self.obj_get_changes()
        values.pop('token', None)
        values['token_hash'] = hash_token(token)
        values['expires'] = int(timeutils.utcnow_ts()) + int(ttl)
        db_obj = db.console_auth_token_create(self._context, values)
        self._from_db_object(self._context, self, db_obj)
        self.token = token
        self.obj_reset_changes(['token'])
        return token

    @classmethod
    @base.remotable
    def validate(cls, context, token):
        """The token's record if it is known, unexpired and its server exists."""
        db_obj = db.console_auth_token_get_valid(context, hash_token(token))
        if db_obj is None:
            raise exception.InvalidToken(token='***')
        obj = cls._from_db_object(context, cls(), db_obj)
        obj.token = token
        obj.obj_reset_changes(['token'])
        return obj

    @classmethod
    @base.remotable
    def clean_console_auths_for_instance(cls, context, instance_uuid):
        db.console_auth_token_destroy_all_by_instance(context, instance_uuid)

    @classmethod
    @base.remotable
    def clean_expired_console_auths(cls, context):
        db.console_auth_token_destroy_expired(context)

    @classmethod
    @base.remotable
    def clean_expired_console_auths_for_host(cls, context, host):
        db.console_auth_token_destroy_expired_by_host(context, host)


def default_ttl():
    """``[consoleauth] token_ttl``: how long a new console token stays valid."""
    return CONF.consoleauth.token_ttl
