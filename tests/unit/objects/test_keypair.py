"""nova.objects.keypair on a migrated API database: create, get, list, count, destroy."""

import pytest

from nova import exception
from nova import objects


def test_keypair(ctxt):
    for name in ('a', 'b', 'c'):
        objects.KeyPair(ctxt, name=name, user_id='u1', public_key='ssh-rsa AAA',
                        fingerprint='fp').create()
    with pytest.raises(exception.KeyPairExists):
        objects.KeyPair(ctxt, name='a', user_id='u1', public_key='k').create()
    key = objects.KeyPair.get_by_name(ctxt, 'u1', 'a')
    assert key.type == 'ssh' and key.public_key == 'ssh-rsa AAA'
    assert [k.name for k in objects.KeyPairList.get_by_user(ctxt, 'u1', limit=1,
                                                            marker='a')] == ['b']
    assert objects.KeyPairList.get_count_by_user(ctxt, 'u1') == 3
    key.destroy()
    objects.KeyPair.destroy_by_name(ctxt, 'u1', 'b')
    with pytest.raises(exception.KeypairNotFound):
        objects.KeyPair.get_by_name(ctxt, 'u1', 'b')
