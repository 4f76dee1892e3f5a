"""Retries and connection-state reporting of the vCenter session.

The login is replaced by one that fails the way a vCenter that is away makes
it fail (connection refused, then an expired session), because the retry
counting is what is under test; the real exchange is covered against
nova-vcsim in tests/functional/vmwareapi.
"""

import pytest

from nova.virt.vmwareapi import session as vmsession


class FlakySession(vmsession.Session):
    def __init__(self, failures, **kw):
        super().__init__(**kw)
        self.failures = list(failures)
        self.logins = 0

    def _login(self):
        self.logins += 1
        if self.failures:
            raise self.failures.pop(0)
        return object(), object()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(vmsession.time, 'sleep', lambda seconds: None)


def test_gives_up_after_api_retry_count_and_reports_the_loss(conf):
    changes = []
    session = FlakySession([ConnectionRefusedError('refused')] * 5,
                           on_state_change=lambda up, reason: changes.append((up, reason)))
    with pytest.raises(vmsession.VimConnectionError) as err:
        session.check()
    assert session.logins == 2  # api_retry_count = 2
    assert 'unreachable: ConnectionRefusedError: refused' in str(err.value)
    assert changes == [(False, str(err.value))]
    session.failures = []
    session.check()
    assert changes[-1] == (True, None) and session.connected is True


def test_recovers_within_the_retries(conf):
    session = FlakySession([ConnectionRefusedError('refused')], retry_count=3)
    assert session._retrying('x', lambda stub, content: 'done') == 'done'
    assert session.logins == 2


def test_an_expired_login_logs_in_again(conf):
    session = FlakySession([])
    calls = []

    def call(stub, content):
        calls.append(stub)
        if len(calls) == 1:
            raise vmsession.vim.fault.NotAuthenticated(msg='session expired')
        return 'ok'
    assert session._retrying('x', call) == 'ok'
    assert session.logins == 2 and calls[0] is not calls[1]


def test_other_errors_are_not_retried(conf):
    session = FlakySession([])
    with pytest.raises(ValueError):
        session._retrying('x', lambda stub, content: (_ for _ in ()).throw(ValueError()))
    assert session.logins == 1


def test_fault_names_and_messages():
    fault = vmsession.vim.fault.FileNotFound(msg='no such file', file='[ds] a')
    assert vmsession.fault_of(fault) == ('FileNotFound', 'no such file')
    error = vmsession.VimFaultError('MakeDirectory', fault)
    assert error.fault_name == 'FileNotFound' and 'no such file' in str(error)
    task_error = vmsession.VimTaskError('PowerOnVM_Task', 'SystemError', 'boom')
    assert str(task_error) == 'vCenter task PowerOnVM_Task failed: SystemError: boom'
