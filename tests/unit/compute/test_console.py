"""The expired console token cleanup runs on [DEFAULT] instance_delete_interval,
as parsed when nova-compute starts (negative: never)."""

import pytest

import nova.conf
from nova.compute import console
from nova import manager

CONF = nova.conf.CONF


class _Manager(console.ConsoleOperations, manager.Manager):
    pass


@pytest.mark.parametrize('interval,expected', [(7, 7), (-1, None)])
def test_cleanup_spacing_follows_instance_delete_interval(interval, expected):
    CONF.set_override('instance_delete_interval', interval)
    try:
        mgr = _Manager(host='h1')
        mgr._init_consoles()
    finally:
        CONF.clear_override('instance_delete_interval')
    tasks = {name for name, _task in mgr._periodic_tasks}
    if expected is None:
        assert '_cleanup_expired_console_auth_tokens' not in tasks
    else:
        assert mgr._periodic_spacing['_cleanup_expired_console_auth_tokens'] == expected
