"""Compute nodes of the multi-node all-in-one (``tools/allinone up --computes N``).

Each node is a separate host on this machine:

- a network namespace ``nova-<tag>-<i>`` whose ``eth0`` (one end of a veth
  pair) sits on the bridge ``nb-<tag>`` with the address ``<subnet>.<10+i>``;
  the machine has ``<subnet>.1`` on the bridge, so the controller reaches the
  nodes (console proxies to their guests' VNC and serial ports) and the nodes
  reach each other (libvirtd to libvirtd, QEMU migration streams);
- a mount and UTS namespace held by ``node_holder``: its own host name
  (``compute<i>``), ``/etc/hosts`` naming every node, and its own libvirt
  directories (``/etc/libvirt``, ``/run/libvirt``, ``/var/lib/libvirt``,
  ``/var/log/libvirt``, ``/var/cache/libvirt`` bind-mounted from
  ``<state>/nodes/<host>/libvirt/``);
- with libvirt, its own ``virtlogd`` and ``libvirtd`` (TCP on the node's
  address, no auth, a host UUID of its own: libvirt refuses to migrate
  between two hosts of one name or UUID), and its own instances directory
  (``<state>/nodes/<host>/instances``, bind-mounted on the one
  ``instances_path`` every node's nova.conf names, as real hosts share a path
  but not a disk);
- its own ``nova-compute`` with ``[DEFAULT] host = compute<i>``, reading the
  controller's nova.conf and then ``<state>/nodes/<host>/nova-node.conf``.

The controller's services listen on the machine's 127.0.0.1; ``relay.py``
listens on 127.0.0.1 inside every node's namespace and carries each
connection to the machine's, so a node's configuration names the same URLs
as the controller's. The tag comes from the state directory, so two clouds
on one machine never share a name. Standard library only.
"""

import hashlib
import os
import subprocess
import sys
import uuid

from tools.allinone_lib import procs

NETNS_DIR = '/run/netns'
SUBNET_BASE = '10.213'
RELAYED = ('keystone', 'placement', 'glance', 'neutron', 'nova-api', 'nova-metadata')
RABBIT_PORT = 5672

# Directories of the machine each node gets a private copy of.
LIBVIRT_DIRS = (('etc', '/etc/libvirt'), ('run', '/run/libvirt'),
                ('lib', '/var/lib/libvirt'), ('log', '/var/log/libvirt'),
                ('cache', '/var/cache/libvirt'))

QEMU_CONF = """# Written by tools/allinone_lib/nodes.py for node {host}.
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
vnc_listen = "0.0.0.0"
spice_listen = "0.0.0.0"
stdio_handler = "file"
"""

LIBVIRTD_CONF = """# Written by tools/allinone_lib/nodes.py for node {host}.
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tls = 0
listen_tcp = 1
listen_addr = "{address}"
auth_tcp = "none"
host_uuid = "{host_uuid}"
"""

NODE_CONF = """# Written by tools/allinone_lib/nodes.py: read after the controller's nova.conf.
[DEFAULT]
host = {host}
my_ip = {address}
state_path = {node_dir}/state
log_file = {log_file}
instances_path = {instances_path}

[oslo_concurrency]
lock_path = {node_dir}/state/lock
"""

NODE_LIBVIRT_CONF = """
[libvirt]
live_migration_inbound_addr = {address}

[vnc]
server_listen = 0.0.0.0
server_proxyclient_address = {address}

[serial_console]
proxyclient_address = {address}

[spice]
server_listen = 0.0.0.0
server_proxyclient_address = {address}
"""


def say(msg):
    print('allinone: %s' % msg, flush=True)


# --- names and addresses ----------------------------------------------------

def count(state):
    return int(state.settings.get('computes') or 0)


def tag(state):
    return hashlib.sha1(state.path.encode()).hexdigest()[:6]


def host_names(state):
    return ['compute%d' % i for i in range(1, count(state) + 1)]


def index(host):
    return int(host[len('compute'):])


def netns_name(state, host):
    return 'nova-%s-%d' % (tag(state), index(host))


def netns_path(state, host):
    return os.path.join(NETNS_DIR, netns_name(state, host))


def bridge_name(state):
    return 'nb-%s' % tag(state)


def veth_names(state, host):
    """(machine side, node side before it becomes the node's eth0); <= 15 chars."""
    return ('nv%s-%d' % (tag(state), index(host)), 'np%s-%d' % (tag(state), index(host)))


def used_subnets():
    out = subprocess.run(['ip', '-4', '-o', 'addr'], capture_output=True, text=True).stdout
    used = set()
    for line in out.split('\n'):
        fields = line.split()
        if len(fields) > 3 and fields[2] == 'inet':
            used.add(fields[3].rsplit('.', 1)[0])
    return used


def subnet(state):
    """The nodes' /24 (three octets), chosen at the first up where no address is."""
    chosen = state.settings.get('node_subnet')
    if chosen:
        return chosen
    used = used_subnets()
    start = int(tag(state), 16) % 250
    for step in range(250):
        candidate = '%s.%d' % (SUBNET_BASE, (start + step) % 250 + 1)
        if candidate not in used:
            state.settings['node_subnet'] = candidate
            state.save()
            return candidate
    raise RuntimeError('no free /24 in %s.0.0/16 for the compute nodes' % SUBNET_BASE)


def gateway(state):
    return subnet(state) + '.1'


def address(state, host):
    return '%s.%d' % (subnet(state), 10 + index(host))


def node_dir(state, host):
    return state.sub('nodes', host)


def node_conf(state, host):
    return os.path.join(node_dir(state, host), 'nova-node.conf')


def private_instances(state, host):
    """The node's instances directory as the machine sees it."""
    return os.path.join(node_dir(state, host), 'instances')


def instances_path(state):
    """``[DEFAULT] instances_path`` of every node: one path, as on real hosts,
    where each node's mount namespace has its own directory bind-mounted."""
    return state.sub('nodes', 'instances')


def libvirt_socket(state, host):
    """The node libvirtd's socket as the machine sees it."""
    return os.path.join(node_dir(state, host), 'libvirt', 'run', 'libvirt-sock')


def libvirt_uri(state, host):
    """A URI reaching the node's libvirtd from the machine (virsh -c ...)."""
    return 'qemu:///system?socket=%s' % libvirt_socket(state, host)


def host_uuid(state, host):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'nova-allinone:%s:%s' % (state.path, host)))


def proc_name(host, daemon):
    return '%s-%s' % (host, daemon)


# --- the network ---------------------------------------------------------------

def _ip(*args, check=True):
    result = subprocess.run(['ip'] + list(args), capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError('ip %s failed: %s' % (' '.join(args), result.stderr.strip()))
    return result


def link_exists(name, netns=None):
    args = (['-n', netns] if netns else []) + ['link', 'show', name]
    return _ip(*args, check=False).returncode == 0


def ensure_bridge(state):
    bridge = bridge_name(state)
    if not link_exists(bridge):
        _ip('link', 'add', bridge, 'type', 'bridge')
        _ip('addr', 'add', gateway(state) + '/24', 'dev', bridge)
    _ip('link', 'set', bridge, 'up')


def ensure_netns(state, host):
    name = netns_name(state, host)
    if not os.path.exists(netns_path(state, host)):
        _ip('netns', 'add', name)
    outside, inside = veth_names(state, host)
    if not link_exists('eth0', name):
        if link_exists(outside):
            _ip('link', 'del', outside)
        _ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside)
        _ip('link', 'set', inside, 'netns', name)
        _ip('-n', name, 'link', 'set', inside, 'name', 'eth0')
        _ip('-n', name, 'addr', 'add', address(state, host) + '/24', 'dev', 'eth0')
    _ip('link', 'set', outside, 'master', bridge_name(state), 'up')
    _ip('-n', name, 'link', 'set', 'lo', 'up')
    _ip('-n', name, 'link', 'set', 'eth0', 'up')
    _ip('-n', name, 'route', 'replace', 'default', 'via', gateway(state))


def remove_network(state):
    removed = []
    for entry in sorted(os.listdir(NETNS_DIR)) if os.path.isdir(NETNS_DIR) else ():
        if entry.startswith('nova-%s-' % tag(state)):
            _ip('netns', 'del', entry, check=False)
            removed.append(entry)
    # Deleting a namespace deletes its veth ends; the machine's ends go with them.
    if link_exists(bridge_name(state)):
        _ip('link', 'del', bridge_name(state), check=False)
        removed.append(bridge_name(state))
    return removed


# --- files -------------------------------------------------------------------

def write_hosts(state):
    path = state.sub('nodes', 'hosts')
    lines = ['127.0.0.1 localhost', '%s controller' % gateway(state)]
    lines += ['%s %s' % (address(state, host), host) for host in host_names(state)]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def write_node_files(state, host, libvirt):
    base = node_dir(state, host)
    for sub in ('state/lock', 'instances'):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    os.makedirs(instances_path(state), exist_ok=True)
    text = NODE_CONF.format(host=host, address=address(state, host), node_dir=base,
                            instances_path=instances_path(state),
                            log_file=os.path.join(state.log_dir, 'nova-compute-%s.log' % host))
    if libvirt:
        text += NODE_LIBVIRT_CONF.format(address=address(state, host))
        for sub, _target in LIBVIRT_DIRS:
            os.makedirs(os.path.join(base, 'libvirt', sub), exist_ok=True)
        os.makedirs(os.path.join(base, 'libvirt', 'log', 'qemu'), exist_ok=True)
        os.makedirs(os.path.join(base, 'libvirt', 'etc', 'qemu'), exist_ok=True)
        etc = os.path.join(base, 'libvirt', 'etc')
        for name, template in (('qemu.conf', QEMU_CONF), ('libvirtd.conf', LIBVIRTD_CONF),
                               ('virtlogd.conf', '')):
            with open(os.path.join(etc, name), 'w') as f:
                f.write(template.format(host=host, address=address(state, host),
                                        host_uuid=host_uuid(state, host)))
    with open(node_conf(state, host), 'w') as f:
        f.write(text)


def binds(state, host, libvirt):
    pairs = [(state.sub('nodes', 'hosts'), '/etc/hosts'),
             (private_instances(state, host), instances_path(state))]
    if libvirt:
        pairs += [(os.path.join(node_dir(state, host), 'libvirt', sub), target)
                  for sub, target in LIBVIRT_DIRS]
    return pairs


# --- processes ---------------------------------------------------------------

def holder_pid(state, host):
    return procs.running_pid(state, proc_name(host, 'node'))


def enter(state, host):
    """The command prefix running a program inside the node's namespaces."""
    pid = holder_pid(state, host)
    if not pid:
        raise RuntimeError('node %s is not running' % host)
    return ['nsenter', '--target', str(pid), '--mount', '--uts', '--net']


def start_holder(state, host, libvirt):
    ready = os.path.join(node_dir(state, host), 'ready')
    cmd = ['nsenter', '--net=%s' % netns_path(state, host), 'unshare', '--mount', '--uts',
           '--propagation', 'private', '--', sys.executable, '-m',
           'tools.allinone_lib.node_holder', '--hostname', host]
    for source, target in binds(state, host, libvirt):
        cmd += ['--bind', '%s:%s' % (source, target)]
    cmd.append(node_dir(state, host))
    from tools.allinone_lib import layout
    pid, started = procs.start(state, proc_name(host, 'node'), cmd, cwd=layout.REPO,
                               marker=node_dir(state, host))
    if started:
        if os.path.exists(ready):
            os.unlink(ready)
        procs.wait_for(lambda: os.path.exists(ready), 30, 'node %s set up' % host,
                       alive=lambda: procs.running_pid(state, proc_name(host, 'node')) == pid)
    return pid


def start_libvirt(state, host):
    base = os.path.join(node_dir(state, host), 'libvirt')
    prefix = enter(state, host)
    procs.start(state, proc_name(host, 'virtlogd'),
                prefix + ['virtlogd', '-f', os.path.join(base, 'etc', 'virtlogd.conf'),
                          '-p', os.path.join(base, 'run', 'virtlogd.pid')],
                marker=os.path.join(base, 'run', 'virtlogd.pid'))
    procs.wait_for(lambda: os.path.exists(os.path.join(base, 'run', 'virtlogd-sock')), 30,
                   'virtlogd of %s' % host, interval=0.1)
    pid, _ = procs.start(state, proc_name(host, 'libvirtd'),
                         prefix + ['libvirtd', '--listen',
                                   '-f', os.path.join(base, 'etc', 'libvirtd.conf'),
                                   '-p', os.path.join(base, 'run', 'libvirtd.pid')],
                         marker=os.path.join(base, 'run', 'libvirtd.pid'))
    procs.wait_for(lambda: virsh(state, host, 'uri').returncode == 0, 60,
                   'libvirtd of %s answering' % host, interval=0.2,
                   alive=lambda: procs.running_pid(state, proc_name(host, 'libvirtd')) == pid)


def virsh(state, host, *args, timeout=60):
    return subprocess.run(['virsh', '-c', libvirt_uri(state, host)] + list(args),
                          capture_output=True, text=True, timeout=timeout)


def start_relay(state):
    cmd = [sys.executable, '-m', 'tools.allinone_lib.relay', '--port', str(RABBIT_PORT)]
    for service in RELAYED:
        cmd += ['--port', str(state.port(service))]
    for host in host_names(state):
        cmd += ['--netns', netns_path(state, host)]
    from tools.allinone_lib import layout
    name = 'node-relay'
    running = procs.running_pid(state, name)
    if running and procs._cmdline(running) != ' '.join(cmd) + ' ':
        procs.stop(state, name)  # the node list changed
    pid, started = procs.start(state, name, cmd, cwd=layout.REPO, marker='--netns')
    if started:
        out = procs.out_file(state, name)
        procs.wait_for(lambda: 'relay:' in procs.tail(out, 1), 30, 'the node relay',
                       alive=lambda: procs.running_pid(state, name) == pid, interval=0.1)
    return pid


def start_compute(state, host, compute_bin):
    cmd = enter(state, host) + [compute_bin, '--config-file', state.nova_conf,
                                '--config-file', node_conf(state, host)]
    return procs.start(state, proc_name(host, 'nova-compute'), cmd,
                       marker=node_conf(state, host))


def up(state, compute_bin, log=say):
    """Bring every node up (what runs is left alone); {host: address}."""
    libvirt = state.settings.get('virt') == 'libvirt'
    if os.geteuid() != 0:
        raise RuntimeError('--computes needs root (network namespaces)')
    ensure_bridge(state)
    write_hosts(state)
    for host in host_names(state):
        ensure_netns(state, host)
        write_node_files(state, host, libvirt)
        start_holder(state, host, libvirt)
        if libvirt:
            start_libvirt(state, host)
    start_relay(state)
    for host in host_names(state):
        start_compute(state, host, compute_bin)
    log('compute nodes: %s on bridge %s' % (
        ', '.join('%s (%s)' % (h, address(state, h)) for h in host_names(state)),
        bridge_name(state)))
    return {host: address(state, host) for host in host_names(state)}


def recorded_hosts(state):
    """Hosts with a process recorded, beyond the configured ones too."""
    hosts = set(host_names(state))
    for name in procs.recorded_names(state):
        if name.startswith('compute') and name.endswith('-node'):
            hosts.add(name[:-len('-node')])
    return sorted(hosts, key=index)


def destroy_guests(state, host, log=say):
    """Stop the node's running guests before its libvirtd goes (a real host's
    power-off); their definitions stay for the next up."""
    if not procs.running_pid(state, proc_name(host, 'libvirtd')):
        return
    for name in virsh(state, host, 'list', '--name').stdout.split():
        virsh(state, host, 'destroy', name)
        log('%s: stopped guest %s' % (host, name))


def down(state, purge=False, log=say):
    for host in recorded_hosts(state):
        procs.stop(state, proc_name(host, 'nova-compute'))
        destroy_guests(state, host, log)
        if purge and procs.running_pid(state, proc_name(host, 'libvirtd')):
            for name in virsh(state, host, 'list', '--all', '--name').stdout.split():
                virsh(state, host, 'undefine', '--managed-save', '--nvram', name)
        for daemon in ('libvirtd', 'virtlogd', 'node'):
            pid = procs.stop(state, proc_name(host, daemon))
            if pid:
                log('stopped %s %s (pid %d)' % (host, daemon, pid))
    procs.stop(state, 'node-relay')
    for name in remove_network(state):
        log('removed %s' % name)


def rows(state):
    """[{host, address, netns, processes: {daemon: pid or None}}] for ``status``."""
    libvirt = state.settings.get('virt') == 'libvirt'
    daemons = ('node', 'virtlogd', 'libvirtd', 'nova-compute') if libvirt \
        else ('node', 'nova-compute')
    return [{'host': host, 'address': address(state, host), 'netns': netns_name(state, host),
             'processes': {d: procs.running_pid(state, proc_name(host, d)) for d in daemons}}
            for host in host_names(state)]


def wait_reporting(state, service_rows, timeout=120):
    """Until every node's nova-compute reports up."""
    wanted = set(host_names(state))

    def reported():
        try:
            rows_ = service_rows(state)
        except Exception:
            return False
        return {r['host'] for r in rows_ if r['binary'] == 'nova-compute' and r['up']} >= wanted
    procs.wait_for(reported, timeout, 'nova-compute on %s reporting' % ', '.join(sorted(wanted)),
                   interval=0.5)

