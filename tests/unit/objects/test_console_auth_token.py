"""nova.objects.console_auth_token: tokens stored hashed, validated, expired, cleaned."""

import hashlib

import pytest

from nova.db.main import engine as main_engine
from nova.db.main import models
from nova import exception
from nova import objects
from tests.unit.objects.records import _instance


def test_console_auth_token(ctxt):
    inst = _instance(ctxt)
    obj = objects.ConsoleAuthToken(ctxt, console_type='novnc', host='h', port=5900,
                                   instance_uuid=inst.uuid,
                                   access_url_base='http://proxy/vnc_auto.html')
    token = obj.authorize()
    assert 'path=%3Ftoken%3D' + token in obj.access_url

    @main_engine.reader
    def stored(context):
        return context.session.query(models.ConsoleAuthToken).one().token_hash
    assert stored(ctxt) == hashlib.sha256(token.encode()).hexdigest()
    got = objects.ConsoleAuthToken.validate(ctxt, token)
    assert got.port == 5900 and got.instance_uuid == inst.uuid
    with pytest.raises(exception.InvalidToken):
        objects.ConsoleAuthToken.validate(ctxt, 'wrong')
    expired = objects.ConsoleAuthToken(ctxt, console_type='spice-html5', host='h', port=1,
                                       instance_uuid=inst.uuid)
    old_token = expired.authorize(ttl=-1)
    with pytest.raises(exception.InvalidToken):
        objects.ConsoleAuthToken.validate(ctxt, old_token)
    objects.ConsoleAuthToken.clean_expired_console_auths(ctxt)
    objects.ConsoleAuthToken.validate(ctxt, token)
    objects.ConsoleAuthToken.clean_console_auths_for_instance(ctxt, inst.uuid)
    with pytest.raises(exception.InvalidToken):
        objects.ConsoleAuthToken.validate(ctxt, token)
