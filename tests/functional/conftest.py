"""Fixtures of the whole functional tier."""

import os
import subprocess

import pytest

from tests.fixtures import glance as glance_fixture
from tools.allinone_lib import install


@pytest.fixture(scope='session')
def shared_glance_url(tmp_path_factory):
    """One real Glance for every module of this test process (each xdist worker has
    its own): starting one takes seconds, and the modules only use images they
    upload themselves. Modules ask for it through ``glance_url``
    (tests/functional/image/test_glance_client.py)."""
    if os.environ.get('NOVA_SKIP_GLANCE'):
        pytest.skip('NOVA_SKIP_GLANCE is set')
    try:
        install.ensure_services_venv()
    except subprocess.CalledProcessError as exc:
        pytest.skip('cannot build the Glance virtualenv: %s' % exc)
    with glance_fixture.running_glance(tmp_path_factory.mktemp('glance-state')) as url:
        yield url

