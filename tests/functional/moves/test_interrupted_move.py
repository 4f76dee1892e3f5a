"""A nova-compute killed (``kill -9``) in the middle of a cold migration settles
the server when it starts again, and no allocation is left behind.

Conductor, scheduler, the API and the destination compute run in this
process (real RabbitMQ vhost, real Placement, real Glance, SQLite cells); the
source compute is the ``nova-compute`` console script in a process of its
own, so it can really be stopped and killed. It is stopped (SIGSTOP) before
the move so the destination's claim is made and the source's step is still to
come, then killed with SIGKILL and started again.
"""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from nova import exception
from nova import objects
from nova.objects import host_mapping
from tests.fixtures import cloud
from tests.fixtures.waiting import wait_for
from tests.functional.boot.test_boot_flow import _status
from tests.functional.image.test_glance_client import glance_url  # noqa: F401
from tests.functional.moves.test_resize_flow import _allocations, _delete, _host
from tests.functional.moves.test_resize_flow import _migration_status, _migrations, _provider_of

HOSTS = ('interrupt-compute-dest',)
KILLED = 'interrupt-compute-source'
ADMIN = {'X-OpenStack-Nova-API-Version': '2.74'}


@pytest.fixture(scope='module')
def cloud_env(tmp_path_factory, glance_url):  # noqa: F811
    tmp = tmp_path_factory.mktemp('interruptcloud')
    with cloud.running_cloud(tmp, glance_url=glance_url, hosts=HOSTS) as env:
        env['tmp'] = tmp
        yield env


class _ComputeProcess(object):
    """nova-compute for host KILLED as a process of its own, on the cloud's nova.conf."""

    def __init__(self, env):
        self.env = env
        tmp = env['tmp']
        self.conf = tmp / 'killed-compute.conf'
        self.conf.write_text(textwrap.dedent("""\
            [DEFAULT]
            host = %s
            state_path = %s
            """) % (KILLED, tmp / 'killed-compute-state'))
        self.log = tmp / 'killed-compute.log'
        self.proc = None

    def start(self):
        script = os.path.join(os.path.dirname(sys.executable), 'nova-compute')
        with open(self.log, 'ab') as log:
            self.proc = subprocess.Popen(
                [script, '--config-file', str(self.env['tmp'] / 'nova.conf'),
                 '--config-file', str(self.conf)], stdout=log, stderr=subprocess.STDOUT)
        ctxt = self.env['ctxt']
        seen = self._report_count()

        def reporting():
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                objects.ComputeNodeList.get_all_by_host(ctxt, KILLED)
            except exception.ComputeHostNotFound:
                return False  # its node is recorded before it takes requests
            return self._report_count() > seen
        wait_for(reporting, timeout=120, what='nova-compute %s reporting' % KILLED)
        host_mapping.discover_hosts(ctxt)

    def _report_count(self):
        try:
            return objects.Service.get_by_host_and_binary(
                self.env['ctxt'], KILLED, 'nova-compute').report_count
        except Exception:
            return -1

    def signal(self, signum):
        os.kill(self.proc.pid, signum)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def source(cloud_env):
    compute = _ComputeProcess(cloud_env)
    compute.start()
    yield compute
    compute.stop()


def _migrate(env, server_id):
    resp = env['admin'].post('/servers/%s/action' % server_id, {'migrate': None},
                             headers=ADMIN)
    assert resp.status_int == 202, resp.body


def test_a_source_killed_mid_migration_gets_its_server_back(cloud_env, source):
    admin = cloud_env['admin']
    resp = admin.post('/servers', {'server': {
        'name': 'interrupted', 'imageRef': cloud_env['image'], 'flavorRef': '1',
        'host': KILLED, 'networks': 'none'}}, headers=ADMIN)
    assert resp.status_int == 202, resp.body
    server_id = resp.json_body_or_none['server']['id']
    wait_for(lambda: _status(admin, server_id) == 'ACTIVE', what='server ACTIVE')
    assert _host(cloud_env, server_id) == KILLED
    original = _allocations(cloud_env, server_id)

    source.signal(signal.SIGSTOP)
    try:
        _migrate(cloud_env, server_id)
        # The destination claimed; the stopped source has yet to send the guest.
        wait_for(lambda: (_migrations(cloud_env, server_id) or [{}])[0].get('dest_host'),
                 timeout=60, what='destination prepared')
        [migration] = _migrations(cloud_env, server_id)
        assert migration['status'] == 'pre-migrating'
        assert _allocations(cloud_env, migration['uuid']) == original
        assert _allocations(cloud_env, server_id) == {
            _provider_of(cloud_env, HOSTS[0]): {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    finally:
        source.signal(signal.SIGKILL)
        source.proc.wait()
    source.start()

    wait_for(lambda: _migration_status(cloud_env, server_id) == 'error',
             timeout=60, what='migration settled as error')
    wait_for(lambda: _status(admin, server_id) == 'ACTIVE', what='server ACTIVE again')
    assert _host(cloud_env, server_id) == KILLED
    assert _allocations(cloud_env, server_id) == original
    assert _allocations(cloud_env, migration['uuid']) == {}

    # The restarted compute moves the server as if nothing had happened.
    _migrate(cloud_env, server_id)
    wait_for(lambda: _status(admin, server_id) == 'VERIFY_RESIZE', timeout=60,
             what='migrated')
    assert admin.post('/servers/%s/action' % server_id,
                      {'confirmResize': None}).status_int == 204
    wait_for(lambda: _status(admin, server_id) == 'ACTIVE', what='confirmed')
    assert _host(cloud_env, server_id) == HOSTS[0]
    newest = _migrations(cloud_env, server_id)[0]
    assert newest['status'] == 'confirmed'
    assert _allocations(cloud_env, newest['uuid']) == {}
    assert _allocations(cloud_env, server_id) == {
        _provider_of(cloud_env, HOSTS[0]): {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    _delete(cloud_env, server_id) if False else None
    assert admin.delete('/servers/%s' % server_id).status_int == 204
    wait_for(lambda: admin.get('/servers/%s' % server_id).status_int == 404,
             what='server gone')
    assert _allocations(cloud_env, server_id) == {}
