"""The cell database's server tags against a migrated SQLite file: a live instance
only, at most 50 tags, set replaces, sorted reads."""

import pytest
from oslo_utils import uuidutils

from nova.db.main import instance_api
from nova.db.main import tag_api as db
from nova import exception


@pytest.fixture
def uuid(ctxt):
    return instance_api.instance_create(ctxt, {'project_id': 'p'})['uuid']


def test_tags_of_a_missing_or_deleted_instance(ctxt, uuid):
    with pytest.raises(exception.InstanceNotFound):
        db.instance_tag_add(ctxt, uuidutils.generate_uuid(), 'a')
    instance_api.instance_destroy(ctxt, uuid)
    with pytest.raises(exception.InstanceNotFound):
        db.instance_tag_get_by_instance_uuid(ctxt, uuid)


def test_add_is_idempotent_and_capped(ctxt, uuid):
    db.instance_tag_set(ctxt, uuid, ['t%02d' % n for n in range(db.MAX_TAGS_PER_INSTANCE)])
    db.instance_tag_add(ctxt, uuid, 't00')  # already there: no 51st
    with pytest.raises(exception.TooManyInstanceTags):
        db.instance_tag_add(ctxt, uuid, 'one-more')
    with pytest.raises(exception.TooManyInstanceTags):
        db.instance_tag_set(ctxt, uuid, ['x%02d' % n for n in range(51)])


def test_set_replaces_and_reads_come_sorted(ctxt, uuid):
    db.instance_tag_add(ctxt, uuid, 'old')
    assert db.instance_tag_set(ctxt, uuid, ['b', 'a', 'b']) == ['a', 'b']
    assert not db.instance_tag_exists(ctxt, uuid, 'old')
    db.instance_tag_delete(ctxt, uuid, 'a')
    assert db.instance_tag_get_by_instance_uuid(ctxt, uuid) == ['b']
    with pytest.raises(exception.InstanceTagNotFound):
        db.instance_tag_delete(ctxt, uuid, 'a')
    db.instance_tag_delete_all(ctxt, uuid)
    assert db.instance_tag_get_by_instance_uuid(ctxt, uuid) == []
