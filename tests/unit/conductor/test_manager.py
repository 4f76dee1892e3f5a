"""Conductor's periodic sweep follows [DEFAULT] instance_build_timeout."""

import pytest

import nova.conf
from nova.conductor import manager

CONF = nova.conf.CONF


@pytest.fixture
def build_timeout():
    CONF.set_override('instance_build_timeout', 30)
    yield 30
    CONF.clear_override('instance_build_timeout')


def test_the_sweep_runs_three_times_per_timeout(build_timeout):
    conductor = manager.ConductorManager()
    assert '_end_lost_builds' in dict(conductor._periodic_tasks)
    assert conductor._periodic_spacing['_end_lost_builds'] == build_timeout // 3


def test_without_a_timeout_the_sweep_does_nothing(monkeypatch):
    from nova.conductor import build_sweep
    called = []
    monkeypatch.setattr(build_sweep, 'end_lost_build_requests',
                        lambda *a: called.append(a))
    manager.ConductorManager()._end_lost_builds(None)
    assert called == []
