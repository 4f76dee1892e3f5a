"""A failed create's records go, at once or retried while the database fails."""

from oslo_db import exception as db_exc
import pytest

from nova.compute.api import record_cleanup
from nova import objects
from tests.unit.compute import booting


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


def _rows(ctxt):
    return (len(objects.BuildRequestList.get_all(ctxt)),
            len(objects.InstanceMappingList.get_by_project_id(ctxt, booting.PROJECT)))


def test_records_go_at_once(ctxt, flavor):
    made = [booting.build_request(ctxt, flavor, name='s%d' % i) for i in range(2)]
    assert record_cleanup.undo(ctxt, [r for r, _s in made], [s for _r, s in made]) is None
    assert _rows(ctxt) == (0, 0)


def test_records_the_failing_database_kept_are_retried(ctxt, flavor, monkeypatch):
    made = [booting.build_request(ctxt, flavor, name='s%d' % i) for i in range(2)]
    real_destroy = objects.BuildRequest.destroy
    failures = [db_exc.DBConnectionError('gone'), db_exc.DBConnectionError('gone')]

    def flaky_destroy(self):
        if failures:
            raise failures.pop()
        return real_destroy(self)

    monkeypatch.setattr(objects.BuildRequest, 'destroy', flaky_destroy)
    naps = []
    thread = record_cleanup.undo(ctxt, [r for r, _s in made], [s for _r, s in made],
                                 retry_for=60, sleep=naps.append)
    assert thread is not None
    thread.join(30)
    assert not thread.is_alive() and naps
    assert _rows(ctxt) == (0, 0)
