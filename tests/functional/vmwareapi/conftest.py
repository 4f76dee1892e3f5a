"""One nova-vcsim for the whole package (it takes a while to start), and the test
process's Glance at package scope (the package's fixtures use it)."""

import pytest

from tests.fixtures import vcsim as vcsim_fixture
from tests.functional.image.test_glance_client import conf  # noqa: F401 (fixture)


@pytest.fixture(scope='package')
def glance_url(shared_glance_url):
    return shared_glance_url


@pytest.fixture(scope='package')
def sim(tmp_path_factory):
    simulator = vcsim_fixture.start(tmp_path_factory.mktemp('vcsim'))
    yield simulator
    simulator.stop()
