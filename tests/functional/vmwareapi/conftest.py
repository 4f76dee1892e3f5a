"""One Glance and one nova-vcsim for the whole package (each takes a while to start)."""

import pytest

from tests.fixtures import vcsim as vcsim_fixture
from tests.functional.image import test_glance_client
from tests.functional.image.test_glance_client import conf  # noqa: F401 (fixture)

glance_url = pytest.fixture(scope='package', name='glance_url')(
    test_glance_client.glance_url.__wrapped__)


@pytest.fixture(scope='package')
def sim(tmp_path_factory):
    simulator = vcsim_fixture.start(tmp_path_factory.mktemp('vcsim'))
    yield simulator
    simulator.stop()
