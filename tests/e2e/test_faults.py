"""A reduced fault suite: a small wave of boots under one fault per test.

``tools/bench/faults.py``'s rows, run against an all-in-one of its own
(fake driver, noauth, a free port offset, its own vhost and databases):
a daemon killed with SIGKILL and restarted, this cloud's RabbitMQ vhost cut,
this cloud's database connections killed. The wave is small (10 servers from
2 clients) and ``instance_build_timeout`` short (20 s), so a row takes about
a minute and a half. After each: every server ACTIVE, or ERROR with a fault;
each listed once; each gone after one DELETE; Placement back to what it was.
Set NOVA_SKIP_ALLINONE=1 to skip with the other all-in-one tests.
"""

import os
import random

import pytest

from tests.e2e.test_allinone import _free_offset
from tests.e2e.test_allinone import allinone
from tests.fixtures import rabbit
from tools.allinone_lib import layout
from tools.bench import faults

SERVERS = 10
CLIENTS = 2
BUILD_TIMEOUT = 20
# The build timeout, the checks' spacing (a third of it) and room for the fault.
SETTLE = 75
ROWS = ('conductor', 'compute', 'rabbitmq', 'database')
# Rows whose fault can make nova-api answer 5xx: its broker or database was gone.
MAY_ANSWER_5XX = ('rabbitmq', 'database')

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


@pytest.fixture(scope='module')
def fault_cloud(tmp_path_factory):
    reason = rabbit.unavailable_reason()
    if reason:
        pytest.skip(reason)
    state_dir = tmp_path_factory.mktemp('faults') / 'allinone'
    previous = os.environ.get('NOVA_ALLINONE_BUILD_TIMEOUT')
    os.environ['NOVA_ALLINONE_BUILD_TIMEOUT'] = str(BUILD_TIMEOUT)
    try:
        allinone(state_dir, 'up', '--noauth', '--virt', 'fake', '--port-offset',
                 str(_free_offset()))
        yield layout.State(str(state_dir))
    finally:
        if previous is None:
            os.environ.pop('NOVA_ALLINONE_BUILD_TIMEOUT', None)
        else:
            os.environ['NOVA_ALLINONE_BUILD_TIMEOUT'] = previous
        allinone(state_dir, 'down', '--purge', check=False)


@pytest.mark.parametrize('key', ROWS)
def test_a_wave_under_a_fault_ends_settled_deletable_and_exact(fault_cloud, key):
    row = {r.key: r for r in faults.rows(outage=10.0, db_outage=5.0,
                                         restart_after=3.0)}[key]
    result = faults.run_row(fault_cloud, row, SERVERS, CLIENTS, SETTLE, random.Random(19),
                            say=print)
    faults.print_table([result])
    assert result.accepted > 0
    assert result.stuck == 0, 'servers left in BUILD'
    assert result.error_without_fault == 0
    assert result.listed_twice == 0
    assert result.missing_allocations == 0
    assert result.second_delete == 0 and result.undeletable == 0
    assert result.orphan_allocations == 0
    if key not in MAY_ANSWER_5XX:
        assert result.errors_5xx == 0, result.notes
    assert not result.dead_daemons
