"""``tools/allinone`` as a user runs it: up, status, a second up, down.

Each test brings up its own cloud in a temporary state directory, on ports
shifted by a free offset and with its own database names and vhost, so it
never touches a developer's ``.allinone/``. The Keystone/Glance virtualenv is
cached under ~/.cache/nova-allinone, so only the first run pays for it.
Set NOVA_SKIP_ALLINONE=1 to skip these in quick local runs.
"""

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from tests.e2e import processes
from tests.e2e import user_flows
from tests.fixtures import rabbit
from tools.allinone_lib import layout

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, 'tools', 'allinone')
DAEMONS = ('nova-conductor', 'nova-scheduler', 'nova-compute')

pytestmark = pytest.mark.skipif(bool(os.environ.get('NOVA_SKIP_ALLINONE')),
                                reason='NOVA_SKIP_ALLINONE is set')


def _free_offset():
    """A port offset under which every all-in-one port is free, tried in a random
    order: two test runs on one machine (xdist workers, or two people) each pick
    theirs minutes before their services bind those ports, so the first free one
    in a fixed order was often the same for both. Every port stays below the
    kernel's ephemeral range, where a client's own source port (say, a poll of
    a port not yet open that connects to itself) could take a service's port."""
    import random
    import socket
    with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
        ephemeral_low = int(f.read().split()[0])
    offsets = list(range(10000, ephemeral_low - max(layout.BASE_PORTS.values()), 97))
    random.SystemRandom().shuffle(offsets)
    for offset in offsets:
        ports = [p + offset for p in layout.BASE_PORTS.values()]
        try:
            socks = []
            for port in ports:
                sock = socket.socket()
                socks.append(sock)
                sock.bind(('127.0.0.1', port))
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
        return offset
    raise AssertionError('no free port offset')


def allinone(state_dir, *args, check=True, timeout=900):
    env = dict(os.environ, NOVA_ALLINONE_VENV=sys.prefix)
    result = subprocess.run([TOOL, '--state-dir', str(state_dir)] + list(args), env=env,
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError('allinone %s failed (%d):\n%s\n%s' % (
            ' '.join(args), result.returncode, result.stdout[-4000:], result.stderr[-4000:]))
    return result


def _pids(state_dir):
    run = os.path.join(str(state_dir), 'run')
    return {f[:-4]: int(open(os.path.join(run, f)).read().split()[0])
            for f in os.listdir(run) if f.endswith('.pid')}


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()[0] != 'Z'


def _get(url, token):
    req = urllib.request.Request(url, headers={'X-Auth-Token': token})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.fixture
def cloud(tmp_path):
    reason = rabbit.unavailable_reason()
    if reason:
        pytest.skip(reason)
    state_dir = tmp_path / 'allinone'
    yield state_dir
    allinone(state_dir, 'down', '--purge', check=False)


def _check_cloud(state_dir, token):
    settings = json.load(open(state_dir / 'allinone.json'))
    assert settings['vhost'] != 'nova-allinone'  # not the default cloud's
    assert settings['db_prefix'] != 'allinone_'
    pids = _pids(state_dir)
    for name in ('placement', 'glance') + DAEMONS:
        assert _alive(pids[name]), name

    status = allinone(state_dir, 'status')
    for name in DAEMONS:
        # binary, host, cell, state, status (the cell column came with --cells)
        assert re.search(r'^%s\s+\S+\s+cell1\s+up\s+enabled' % name, status.stdout, re.M), \
            status.stdout
    assert re.search(r'^glance\s+%d\s+yes\s+http://127.0.0.1:%d' % (
        pids['glance'], settings['ports']['glance']), status.stdout, re.M)

    glance = 'http://127.0.0.1:%d' % settings['ports']['glance']
    images = _get(glance + '/v2/images?name=cirros-fake', token)['images']
    assert [(i['status'], i['disk_format'], i['container_format']) for i in images] in (
        [('active', 'qcow2', 'bare')], [('active', 'raw', 'bare')])

    conf = open(state_dir / 'nova.conf').read()
    assert 'compute_driver = fake.FakeDriver' in conf
    assert '/%s' % settings['vhost'] in conf
    assert os.path.exists(state_dir / 'openrc')
    hosts = processes.run('nova-manage', 'cell_v2', 'list_hosts',
                          conf=str(state_dir / 'nova.conf')).stdout
    assert re.search(r'\|\s*cell1\s*\|', hosts), hosts

    if 'nova-api' in pids:
        api = 'http://127.0.0.1:%d/v2.1' % settings['ports']['nova-api']
        flavors = _get(api + '/flavors/detail', token)['flavors']
        assert {(f['id'], f['name'], f['vcpus'], f['ram'], f['disk']) for f in flavors} >= {
            ('1', 'm1.tiny', 1, 512, 1), ('2', 'm1.small', 1, 2048, 20),
            ('3', 'm1.medium', 2, 4096, 40), ('4', 'm1.large', 4, 8192, 80),
            ('5', 'm1.xlarge', 8, 16384, 160)}
    return pids


def _check_idempotent_and_down(state_dir, pids):
    again = allinone(state_dir, 'up')
    assert 'flavors created' not in again.stdout
    assert _pids(state_dir) == pids  # nothing restarted
    allinone(state_dir, 'down')
    for name, pid in pids.items():
        assert not _alive(pid), name
    assert not _pids(state_dir)
    assert os.path.exists(state_dir / 'nova.conf')  # data stays
    assert allinone(state_dir, 'status', check=False).returncode == 0


def test_up_status_down_noauth(cloud):
    allinone(cloud, 'up', '--noauth', '--virt', 'fake', '--port-offset', str(_free_offset()))
    pids = _check_cloud(cloud, 'admin:admin')
    assert 'keystone' not in pids
    # The openrc's admin_token set-up works for commands that want identity v3
    # although the compute endpoint answers version discovery without a token.
    assert user_flows.osc(cloud, 'server list') == []
    _check_idempotent_and_down(cloud, pids)


def test_up_status_down_keystone(cloud):
    # The fake driver: the client flows below create many servers at once,
    # more than real guests fit on a CI machine (tests/e2e/test_libvirt_guest.py
    # covers --virt libvirt).
    allinone(cloud, 'up', '--virt', 'fake', '--port-offset', str(_free_offset()))
    settings = json.load(open(cloud / 'allinone.json'))
    from tools.allinone_lib import keystone
    token = keystone.Client('http://127.0.0.1:%d' % settings['ports']['keystone'],
                            settings['password']).token
    pids = _check_cloud(cloud, token)
    assert _alive(pids['keystone'])
    # The catalog points at this cloud's ports.
    req = urllib.request.Request(
        'http://127.0.0.1:%d/v3/auth/catalog' % settings['ports']['keystone'],
        headers={'X-Auth-Token': token})
    catalog = json.loads(urllib.request.urlopen(req, timeout=30).read())['catalog']
    urls = {s['type']: s['endpoints'][0]['url'] for s in catalog}
    assert urls['compute'] == 'http://127.0.0.1:%d/v2.1' % settings['ports']['nova-api']
    assert urls['image'] == 'http://127.0.0.1:%d' % settings['ports']['glance']
    assert urls['placement'] == 'http://127.0.0.1:%d' % settings['ports']['placement']
    # What a user then does, through each client.
    user_flows.cli_flow(cloud)
    user_flows.admin_flow(cloud)
    user_flows.actions_flow(cloud)
    assert 'novaclient ok' in user_flows.services_python(cloud, user_flows.NOVACLIENT_FLOW)
    assert 'openstacksdk ok' in user_flows.services_python(cloud, user_flows.SDK_FLOW)
    user_flows.lift_quota(cloud, user_flows.project_id(cloud))
    assert 'ok' in user_flows.services_python(cloud, user_flows.MULTI_CREATE_FLOW)
    _tempest_smoke(cloud)
    _check_idempotent_and_down(cloud, pids)


def _tempest_smoke(state_dir):
    """Tempest's compute smoke subset through tools/tempest, as a user runs it: no
    failure the tool cannot explain (known_failures.txt), and some tests pass."""
    if os.environ.get('NOVA_SKIP_TEMPEST'):
        return
    result = subprocess.run([os.path.join(REPO, 'tools', 'tempest'), '--state-dir',
                             str(state_dir), '--smoke', '--brief'],
                            capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    counts = re.search(r'^(\d+) passed, (\d+) failed, (\d+) skipped$', result.stdout, re.M)
    assert counts and int(counts.group(1)) > 0, result.stdout[-3000:]
