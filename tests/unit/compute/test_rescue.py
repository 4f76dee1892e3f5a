"""The compute manager's rescue and unrescue, and the rescue_timeout sweep."""

import datetime

import pytest
from oslo_utils import timeutils

from nova.compute import rescue
from nova.compute import task_states
from nova.compute import vm_states
from tests.unit.compute import single_moves as moves


@pytest.fixture
def compute(fake_rpc):
    return moves.Host()


def test_rescue_then_unrescue(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.RESCUING)
    compute.rescue_instance(ctxt, instance, 'pw', rescue_image_ref=moves.IMAGE2)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state) == (vm_states.RESCUED, None)
    assert compute.driver.instances[instance.uuid].rescue_image == moves.IMAGE2
    found.task_state = task_states.UNRESCUING
    found.save()
    compute.unrescue_instance(ctxt, found)
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state) == (vm_states.ACTIVE, None)
    assert compute.driver.instances[instance.uuid].rescue_image is None


def test_the_rescue_image_defaults_to_the_servers_own(compute, ctxt, monkeypatch):
    instance = moves.make_instance(ctxt, compute, task_states.RESCUING)
    assert rescue.rescue_image_id(instance) == moves.IMAGE
    instance.system_metadata = {'image_base_image_ref': moves.IMAGE2}
    assert rescue.rescue_image_id(instance) == moves.IMAGE2
    assert rescue.rescue_image_id(instance, 'asked') == 'asked'


def test_a_rescue_image_gone_puts_the_server_in_error(compute, ctxt):
    instance = moves.make_instance(ctxt, compute, task_states.RESCUING)
    compute.rescue_instance(ctxt, instance, 'pw',
                            rescue_image_ref='0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a')
    found = moves.stored(ctxt, instance)
    assert (found.vm_state, found.task_state) == (vm_states.ERROR, None)
    assert 'cannot be rescued' in moves.faults(ctxt, instance)[0].message


def test_rescue_timeout_unrescues_old_rescues_only(compute, ctxt, monkeypatch):
    from nova import conf
    instance = moves.make_instance(ctxt, compute, task_states.RESCUING)
    compute.rescue_instance(ctxt, instance, 'pw')
    conf.CONF.set_override('rescue_timeout', 3600)
    try:
        compute._poll_rescued_instances(ctxt)
        assert moves.stored(ctxt, instance).vm_state == vm_states.RESCUED
        found = moves.stored(ctxt, instance)
        found.launched_at = timeutils.utcnow() - datetime.timedelta(hours=2)
        found.save()
        compute._poll_rescued_instances(ctxt)
        assert moves.stored(ctxt, instance).vm_state == vm_states.ACTIVE
    finally:
        conf.CONF.clear_override('rescue_timeout')
