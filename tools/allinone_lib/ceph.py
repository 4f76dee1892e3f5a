"""A one-node Ceph cluster for the all-in-one (``up --volumes ceph``).

One monitor, one manager and one OSD whose BlueStore lives in a sparse file
under the state directory (this kernel has no device-mapper, so no LVM and no
ceph-volume), on loopback, without systemd or cephadm. Pools ``volumes``,
``images`` and ``vms`` keep one copy of each object. Cinder's RBD driver and
QEMU (through librbd) log in as ``client.cinder``.

Every path is in the cluster's own ``ceph.conf`` in the state directory
(``<state>/ceph/ceph.conf``; the ``ceph`` and ``rbd`` commands take it with
``-c``), and the monitor's ports move with the cloud's port offset, so several
clouds on one machine each run a cluster of their own.
"""

import json
import os
import subprocess
import time
import uuid

from tools.allinone_lib import procs

MON, MGR, OSD = 'ceph-mon', 'ceph-mgr', 'ceph-osd'
DAEMONS = (MON, MGR, OSD)
POOLS = ('volumes', 'images', 'vms')
CLIENT = 'cinder'
PG_NUM = 8
OSD_FILE_BYTES = 10 * 1024 ** 3  # sparse: only what is written takes room

CEPH_CONF = """[global]
fsid = {fsid}
mon_initial_members = a
mon_host = [v2:127.0.0.1:{mon_v2},v1:127.0.0.1:{mon_v1}]
public_network = 127.0.0.0/8
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
keyring = {dir}/keys/$name.keyring
run_dir = {dir}/run
log_file = {log_dir}/ceph-$name.log
pid_file = {dir}/run/$type.$id.pid
admin_socket = {dir}/run/$cluster-$name.asok
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = {pg_num}
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_warn_on_pool_no_redundancy = false
# a test cloud on a shared disk: warn only when it is nearly full
mon_data_avail_warn = 5

[mon]
mon_data = {dir}/mon/$cluster-$id

[mgr]
mgr_data = {dir}/mgr/$cluster-$id

[osd]
osd_data = {dir}/osd/$cluster-$id
osd_objectstore = bluestore
bluestore_block_path = {dir}/osd/$cluster-$id.block
bluestore_block_create = true
bluestore_block_size = {osd_bytes}
osd_memory_target = 1073741824
"""


def ceph_dir(state):
    return state.sub('ceph')


def conf_path(state):
    return os.path.join(ceph_dir(state), 'ceph.conf')


def keyring_path(state, name):
    return os.path.join(ceph_dir(state), 'keys', '%s.keyring' % name)


def mon_ports(state):
    """(msgr2, msgr1) ports of the monitor: 3300 and 6789 moved by the port offset."""
    return state.port('ceph-mon'), state.port('ceph-mon-v1')


def settings(state):
    """The cluster's fsid and the libvirt secret's uuid, chosen once per cloud."""
    ceph = state.settings.setdefault('ceph', {})
    changed = False
    for key in ('fsid', 'secret_uuid'):
        if not ceph.get(key):
            ceph[key] = str(uuid.uuid4())
            changed = True
    if changed:
        state.save()
    return ceph


def write_config(state):
    for sub in ('keys', 'run', 'mon', 'mgr', 'osd'):
        os.makedirs(os.path.join(ceph_dir(state), sub), exist_ok=True)
    v2, v1 = mon_ports(state)
    text = CEPH_CONF.format(fsid=settings(state)['fsid'], mon_v2=v2, mon_v1=v1,
                            dir=ceph_dir(state), log_dir=state.log_dir, pg_num=PG_NUM,
                            osd_bytes=OSD_FILE_BYTES)
    with open(conf_path(state), 'w') as f:
        f.write(text)
    return conf_path(state)


def _run(args, timeout=60, check=True):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (' '.join(args), result.returncode,
                                                   (result.stdout + result.stderr)[-2000:]))
    return result.stdout


def ceph(state, *args, timeout=60, check=True, name=None):
    """Run the ``ceph`` command on this cluster (as client.admin unless ``name``)."""
    cmd = ['ceph', '-c', conf_path(state), '--connect-timeout', '20']
    if name:
        cmd += ['--name', name]
    return _run(cmd + list(args), timeout=timeout, check=check)


def rbd(state, *args, timeout=60):
    return _run(['rbd', '-c', conf_path(state)] + list(args), timeout=timeout)


def _authtool(*args):
    _run(['ceph-authtool'] + list(args))


def _make_monitor(state):
    keys = os.path.join(ceph_dir(state), 'keys')
    mon_keyring = keyring_path(state, 'mon.')
    admin_keyring = keyring_path(state, 'client.admin')
    _authtool('--create-keyring', admin_keyring, '--gen-key', '-n', 'client.admin',
              '--cap', 'mon', 'allow *', '--cap', 'osd', 'allow *', '--cap', 'mds', 'allow *',
              '--cap', 'mgr', 'allow *')
    _authtool('--create-keyring', mon_keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon',
              'allow *')
    _authtool(mon_keyring, '--import-keyring', admin_keyring)
    monmap = os.path.join(keys, 'monmap')
    v2, v1 = mon_ports(state)
    _run(['monmaptool', '--create', '--clobber', '--fsid', settings(state)['fsid'], '--addv',
          'a', '[v2:127.0.0.1:%d,v1:127.0.0.1:%d]' % (v2, v1), monmap])
    _run(['ceph-mon', '-c', conf_path(state), '--mkfs', '-i', 'a', '--monmap', monmap,
          '--keyring', mon_keyring])
    os.unlink(monmap)


def _daemon_cmd(state, binary, ident):
    # -f: stay in the foreground (procs keeps the pid); logs still go to log_file
    return [binary, '-f', '-c', conf_path(state), '-i', ident]


def _start(state, name, ident):
    return procs.start(state, name, _daemon_cmd(state, name, ident), cwd=ceph_dir(state),
                       marker=conf_path(state))


def _osd_ids(state):
    return json.loads(ceph(state, 'osd', 'ls', '--format', 'json') or '[]')


def _make_osd(state):
    osd_uuid = str(uuid.uuid4())
    osd_id = ceph(state, 'osd', 'new', osd_uuid).strip()
    ceph(state, 'auth', 'get-or-create', 'osd.%s' % osd_id, 'mon', 'allow profile osd',
         'mgr', 'allow profile osd', 'osd', 'allow *', '-o',
         keyring_path(state, 'osd.%s' % osd_id))
    os.makedirs(os.path.join(ceph_dir(state), 'osd', 'ceph-%s' % osd_id), exist_ok=True)
    _run(['ceph-osd', '-c', conf_path(state), '--mkfs', '-i', osd_id, '--osd-uuid', osd_uuid],
         timeout=180)
    return osd_id


def _osd_up(state):
    stat = json.loads(ceph(state, 'osd', 'stat', '--format', 'json', check=False) or '{}')
    stat = stat.get('osdmap', stat)
    return stat.get('num_up_osds', 0) >= 1


def _make_pools_and_client(state):
    existing = set(ceph(state, 'osd', 'pool', 'ls').split())
    for pool in POOLS:
        if pool not in existing:
            ceph(state, 'osd', 'pool', 'create', pool, str(PG_NUM))
            ceph(state, 'osd', 'pool', 'set', pool, 'size', '1', '--yes-i-really-mean-it')
            rbd(state, 'pool', 'init', pool, timeout=120)
    caps = ', '.join('profile rbd pool=%s' % pool for pool in POOLS)
    ceph(state, 'auth', 'get-or-create', 'client.%s' % CLIENT, 'mon', 'profile rbd',
         'osd', caps, 'mgr', 'profile rbd', '-o', keyring_path(state, 'client.%s' % CLIENT))


def client_key(state):
    """The secret of client.cinder, for libvirt's secret."""
    return ceph(state, 'auth', 'get-key', 'client.%s' % CLIENT).strip()


def start(state, say):
    """Create the cluster at the first call, then start whatever is not running."""
    write_config(state)
    ceph_settings = settings(state)
    if not os.path.exists(os.path.join(ceph_dir(state), 'mon', 'ceph-a', 'store.db')):
        _make_monitor(state)
    mon_pid, _ = _start(state, MON, 'a')
    procs.wait_for(lambda: ceph(state, 'mon', 'stat', check=False, timeout=30), 60,
                   'the Ceph monitor', interval=0.5,
                   alive=lambda: procs.running_pid(state, MON))
    if not ceph_settings.get('mon_configured'):
        ceph(state, 'config', 'set', 'mon', 'auth_allow_insecure_global_id_reclaim', 'false')
        ceph(state, 'auth', 'get-or-create', 'mgr.x', 'mon', 'allow profile mgr', 'osd',
             'allow *', 'mds', 'allow *', '-o', keyring_path(state, 'mgr.x'))
        os.makedirs(os.path.join(ceph_dir(state), 'mgr', 'ceph-x'), exist_ok=True)
        ceph_settings['mon_configured'] = True
        state.save()
    _start(state, MGR, 'x')
    if ceph_settings.get('osd_id') is None:
        ceph_settings['osd_id'] = _make_osd(state)
        state.save()
    _start(state, OSD, ceph_settings['osd_id'])
    procs.wait_for(lambda: _osd_up(state), 120, 'the Ceph OSD', interval=0.5,
                   alive=lambda: procs.running_pid(state, OSD))
    if not ceph_settings.get('pools_ready'):
        _make_pools_and_client(state)
        ceph_settings['pools_ready'] = True
        state.save()
    say('ceph cluster up: mon on 127.0.0.1:%d, pools %s' % (mon_ports(state)[0],
                                                            ', '.join(POOLS)))


def stop(state, say):
    for name in (OSD, MGR, MON):
        pid = procs.stop(state, name, timeout=20)
        if pid:
            say('stopped %s (pid %d)' % (name, pid))


def health(state):
    """``ceph health`` (one line), or why it could not be asked."""
    try:
        return ceph(state, 'health', timeout=15, check=False).strip() or 'no answer'
    except (subprocess.TimeoutExpired, OSError) as exc:
        return 'no answer (%s)' % exc


# --- libvirt's copy of the key --------------------------------------------------

SECRET_XML = """<secret ephemeral='no' private='no'>
  <uuid>{uuid}</uuid>
  <usage type='ceph'><name>client.{client} {path}</name></usage>
</secret>
"""


def define_libvirt_secret(state, uri='qemu:///system'):
    """The client key as a libvirt secret whose uuid nova and cinder name."""
    secret_uuid = settings(state)['secret_uuid']
    path = os.path.join(ceph_dir(state), 'secret.xml')
    with open(path, 'w') as f:
        f.write(SECRET_XML.format(uuid=secret_uuid, client=CLIENT, path=ceph_dir(state)))
    _run(['virsh', '-c', uri, 'secret-define', path])
    key_file = os.path.join(ceph_dir(state), 'keys', 'libvirt-secret')
    with open(key_file, 'w') as f:
        f.write(client_key(state))
    try:
        _run(['virsh', '-c', uri, 'secret-set-value', secret_uuid, '--file', key_file])
    finally:
        os.unlink(key_file)
    return secret_uuid


def undefine_libvirt_secret(state, uri='qemu:///system'):
    secret_uuid = state.settings.get('ceph', {}).get('secret_uuid')
    if secret_uuid:
        subprocess.run(['virsh', '-c', uri, 'secret-undefine', secret_uuid],
                       capture_output=True)


def wait_gone(state, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(procs.running_pid(state, n) for n in DAEMONS):
        time.sleep(0.2)
