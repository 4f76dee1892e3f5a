"""Fixtures of the whole functional tier."""

import os
import subprocess
import types

import pytest

from tests.fixtures import glance as glance_fixture
from tests.fixtures import neutron as neutron_fixture
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


@pytest.fixture(scope='session')
def shared_neutron(tmp_path_factory):
    """One real Neutron (ML2/OVN, tests/fixtures/neutron.py) for every module of
    this test process that uses it; those modules all run on one xdist worker
    (``NEUTRON_GROUP``), so a run starts it once. Modules ask for it through
    ``neutron_fixture.neutron`` and keep to their own servers' ports."""
    with neutron_fixture.running_neutron(tmp_path_factory.mktemp('neutron')) as neutron:
        yield neutron


# With ``pytest -n 2 --dist loadgroup`` (tox -e functional) every module runs on
# one worker, as its module-scoped cloud wants, and the modules that boot QEMU
# guests all run on the same worker, one after the other: two TCG guests booting
# at once on a two-core machine would only slow each other past their timeouts.
GUESTS_GROUP = 'libvirt-guests'
# The modules that use the real Neutron share one worker and its one Neutron.
NEUTRON_GROUP = 'neutron'


def _uses_neutron(module):
    return any(getattr(value, '__module__', None) == neutron_fixture.__name__
               or value is neutron_fixture for value in vars(module).values())


def _boots_guests(module):
    """Whether a test module starts QEMU guests: it uses the libvirt host fixtures
    (tests/fixtures/libvirt_host.py) or the libvirt modules' helpers."""
    if module.__name__.startswith('tests.functional.libvirt.'):
        return True
    for value in vars(module).values():
        origin = (value.__name__ if isinstance(value, types.ModuleType)
                  else getattr(value, '__module__', None))
        if isinstance(origin, str) and (origin == 'tests.fixtures.libvirt_host' or
                                        origin.startswith('tests.functional.libvirt.')):
            return True
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    guests, neutron = {}, {}
    for item in items:
        module = item.module
        if module not in guests:
            guests[module] = _boots_guests(module)
            neutron[module] = _uses_neutron(module)
        group = (GUESTS_GROUP if guests[module] else
                 NEUTRON_GROUP if neutron[module] else item.nodeid.split('::')[0])
        item.add_marker(pytest.mark.xdist_group(group))
