"""The shelve keys of a server's system metadata and the deletion of its snapshot."""

from nova.compute import shelved
from nova import exception
from nova import objects


class _Images(object):
    """Glance's delete as far as a shelved snapshot goes (no Glance in a unit test)."""

    def __init__(self, images=(), fail=False):
        self.images = set(images)
        self.fail = fail
        self.calls = []

    def delete(self, context, image_id):
        self.calls.append(image_id)
        if self.fail:
            raise RuntimeError('glance is down')
        if image_id not in self.images:
            raise exception.ImageNotFound(image_id=image_id)
        self.images.discard(image_id)


def _instance(sysmeta):
    instance = objects.Instance(uuid='7c4f1b0e-1d2a-4f3b-9c8d-0e1f2a3b4c5d')
    instance.system_metadata = dict(sysmeta)
    return instance


def test_drop_shelve_keys_removes_every_key_and_returns_the_image():
    instance = _instance({'shelved_at': '2026-01-01T00:00:00', 'shelved_image_id': 'img',
                          'shelved_host': 'node1', 'image_base_image_ref': 'base'})
    assert shelved.drop_shelve_keys(instance) == 'img'
    assert instance.system_metadata == {'image_base_image_ref': 'base'}
    assert not set(shelved.SHELVE_KEYS) & set(instance.system_metadata)


def test_drop_shelve_keys_of_a_server_never_shelved():
    instance = _instance({'old_vm_state': 'active'})
    assert shelved.drop_shelve_keys(instance) is None
    assert instance.system_metadata == {'old_vm_state': 'active'}


def test_delete_shelved_image_deletes_it():
    images = _Images(['img'])
    assert shelved.delete_shelved_image(None, images, 'img', 'uuid') is True
    assert images.images == set()


def test_delete_shelved_image_already_gone_counts_as_deleted():
    images = _Images()
    assert shelved.delete_shelved_image(None, images, 'img', 'uuid') is True
    assert images.calls == ['img']


def test_delete_shelved_image_failure_is_left_not_raised():
    images = _Images(['img'], fail=True)
    assert shelved.delete_shelved_image(None, images, 'img', 'uuid') is False
    assert images.images == {'img'}


def test_delete_shelved_image_without_an_image_asks_nothing():
    images = _Images()
    assert shelved.delete_shelved_image(None, images, None, 'uuid') is True
    assert images.calls == []
