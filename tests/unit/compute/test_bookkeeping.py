"""Bookkeeping calls survive lost replies; what cannot be written is only logged."""

import oslo_messaging as messaging
import pytest

from nova.compute import bookkeeping


class _Flaky(object):
    def __init__(self, lost):
        self.lost, self.calls = lost, 0

    def __call__(self, value):
        self.calls += 1
        if self.calls <= self.lost:
            raise messaging.MessagingTimeout('reply lost')
        return value


def test_a_call_is_made_again_until_a_reply_comes():
    call = _Flaky(lost=bookkeeping.ATTEMPTS - 1)
    assert bookkeeping.retried('test', call, 'done') == 'done'
    assert call.calls == bookkeeping.ATTEMPTS


def test_retried_gives_up_after_its_attempts():
    call = _Flaky(lost=bookkeeping.ATTEMPTS)
    with pytest.raises(messaging.MessagingTimeout):
        bookkeeping.retried('test', call, 'done')


def test_best_effort_only_logs_what_it_cannot_record(caplog):
    call = _Flaky(lost=bookkeeping.ATTEMPTS)
    assert bookkeeping.best_effort('the event', call, 'done') is None
    assert 'Gave up on the event' in caplog.text


def test_other_errors_are_not_retried():
    calls = []

    def broken():
        calls.append(1)
        raise ValueError('not a lost reply')
    with pytest.raises(ValueError):
        bookkeeping.retried('test', broken)
    assert calls == [1]


def test_best_effort_only_logs_a_refused_delivery_without_retrying(caplog):
    calls = []

    def refused():
        calls.append(1)
        raise messaging.MessageDeliveryFailure('ACCESS_REFUSED')
    assert bookkeeping.best_effort('the event', refused) is None
    assert calls == [1]
    assert 'Gave up on the event' in caplog.text
