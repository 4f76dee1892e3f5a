"""Policy tests run against a fresh enforcer built from the shipped defaults."""

import pytest

import nova.conf
from nova import policy

CONF = nova.conf.CONF


@pytest.fixture
def enforcer():
    """The process enforcer, rebuilt so earlier overrides cannot leak in."""
    if getattr(CONF, '_args', None) is None:
        CONF([], project='nova', default_config_files=[])
    policy.reset()
    yield policy.init()
    policy.reset()
