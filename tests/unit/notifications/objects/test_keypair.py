"""The keypair payload's shape."""



from nova.notifications.objects import keypair as keypair_notification
from nova import objects
from tests.unit.notifications import samples


def test_keypair_payload_shape():
    keypair = objects.KeyPair(name='my-key', user_id='fake', fingerprint='aa:bb',
                              public_key='ssh-rsa AAAA test', type='ssh')
    assert keypair_notification.KeypairPayload(keypair).to_primitive() == \
        samples.KEYPAIR_PAYLOAD
