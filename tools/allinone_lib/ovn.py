"""Open vSwitch and OVN of one all-in-one, without systemd.

Every database, socket, control socket, log and pid file lives under the
state directory (``ovs/``, ``ovn/``, ``logs/``, ``run/``), so two clouds on one
machine each run their own ``ovsdb-server``\\ s, ``ovs-vswitchd``, ``ovn-northd``
and ``ovn-controller``. The machine has no openvswitch kernel module: bridges
use the userspace datapath (``datapath_type=netdev``), whose internal ports
are tap devices of the host. Those names are global, so a cloud outside the
default state directory names its bridges after its tag.
"""

import ipaddress
import os
import subprocess

from tools.allinone_lib import nova
from tools.allinone_lib import procs

OVS_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema'
OVN_SCHEMAS = {'nb': '/usr/share/ovn/ovn-nb.ovsschema', 'sb': '/usr/share/ovn/ovn-sb.ovsschema'}
# Started in this order, stopped in the reverse one.
DAEMONS = ('ovsdb-server-ovs', 'ovs-vswitchd', 'ovsdb-server-nb', 'ovsdb-server-sb',
           'ovn-northd', 'ovn-controller')
PHYSNET = 'public'
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes
# The public network's address range: 172.24.<n>.0/24, devstack's 172.24.4.0/24
# for the default state directory, another free <n> for the others.
PUBLIC_PREFIX = '172.24.%d.0/24'


def tag(state):
    """'' for the default state directory, else the tag its database names carry."""
    return state.settings['db_prefix'][len('allinone_'):].rstrip('_')


def bridges(state):
    """(integration bridge, external bridge): tap device names, at most 15 chars."""
    t = tag(state)
    return ('int-%s' % t, 'ex-%s' % t) if t else ('br-int', 'br-ex')


def chassis_name(state):
    t = tag(state)
    return 'allinone-%s' % (t or 'default')


def ovs_dir(state):
    return state.sub('ovs')


def ovn_dir(state):
    return state.sub('ovn')


def ovs_socket(state):
    return os.path.join(ovs_dir(state), 'db.sock')


def ovn_socket(state, which):
    return os.path.join(ovn_dir(state), 'ovn%s_db.sock' % which)


def ovs_connection(state):
    return 'unix:%s' % ovs_socket(state)


def ovn_connection(state, which):
    return 'unix:%s' % ovn_socket(state, which)


def check_paths(state):
    longest = max(len(ovs_socket(state)), len(ovn_socket(state, 'nb')),
                  len(os.path.join(ovs_dir(state), bridges(state)[0] + '.snoop')))
    if longest > MAX_SOCKET_PATH:
        raise RuntimeError('the state directory %s is too deep for the OVS/OVN sockets '
                           '(unix socket paths are limited to 108 bytes); use a shorter one'
                           % state.path)


def _env(state):
    """OVS/OVN find their run directories (bridge sockets, control sockets) here."""
    return dict(os.environ, OVS_RUNDIR=ovs_dir(state), OVS_DBDIR=ovs_dir(state),
                OVS_LOGDIR=state.log_dir, OVN_RUNDIR=ovn_dir(state),
                OVN_DBDIR=ovn_dir(state), OVN_LOGDIR=state.log_dir)


def _log(state, name):
    return ['--log-file=%s' % os.path.join(state.log_dir, '%s.log' % name), '-vconsole:off']


def commands(state):
    """{daemon: argv}; each runs in the foreground under procs' pid files."""
    ovs, ovn = ovs_dir(state), ovn_dir(state)
    cmds = {
        'ovsdb-server-ovs': ['ovsdb-server', os.path.join(ovs, 'conf.db'),
                             '--remote=punix:%s' % ovs_socket(state),
                             '--remote=db:Open_vSwitch,Open_vSwitch,manager_options',
                             '--unixctl=%s' % os.path.join(ovs, 'ovsdb-server.ctl')],
        'ovs-vswitchd': ['ovs-vswitchd', ovs_connection(state),
                         '--unixctl=%s' % os.path.join(ovs, 'ovs-vswitchd.ctl')],
        'ovn-northd': ['ovn-northd', '--ovnnb-db=%s' % ovn_connection(state, 'nb'),
                       '--ovnsb-db=%s' % ovn_connection(state, 'sb'),
                       '--unixctl=%s' % os.path.join(ovn, 'ovn-northd.ctl')],
        # ovn-controller has no --unixctl: its control socket goes to OVN_RUNDIR.
        'ovn-controller': ['ovn-controller', ovs_connection(state)],
    }
    for which in ('nb', 'sb'):
        cmds['ovsdb-server-%s' % which] = [
            'ovsdb-server', os.path.join(ovn, 'ovn%s_db.db' % which),
            '--remote=punix:%s' % ovn_socket(state, which),
            '--unixctl=%s' % os.path.join(ovn, 'ovn%s_db.ctl' % which)]
    return {name: argv + _log(state, name) for name, argv in cmds.items()}


def marker(state, name):
    """What the command line of ``name`` must contain to be this cloud's."""
    argv = commands(state)[name]
    return argv[1]


def vsctl(state, *args, check=True):
    return subprocess.run(['ovs-vsctl', '--db=%s' % ovs_connection(state), '--timeout=30']
                          + list(args), check=check, capture_output=True, text=True)


def _create_databases(state):
    os.makedirs(ovs_dir(state), exist_ok=True)
    os.makedirs(ovn_dir(state), exist_ok=True)
    wanted = [(os.path.join(ovs_dir(state), 'conf.db'), OVS_SCHEMA)]
    wanted += [(os.path.join(ovn_dir(state), 'ovn%s_db.db' % w), OVN_SCHEMAS[w])
               for w in ('nb', 'sb')]
    for path, schema in wanted:
        if not os.path.exists(path):
            subprocess.run(['ovsdb-tool', 'create', path, schema], check=True,
                           capture_output=True, text=True)


def _start(state, name):
    argv = commands(state)[name]
    pid, _ = procs.start(state, name, argv, env=_env(state), cwd=state.path,
                         marker=marker(state, name))
    return pid


def _wait_socket(state, name, pid, path, timeout=30):
    procs.wait_for(lambda: os.path.exists(path), timeout, '%s socket %s' % (name, path),
                   interval=0.05, alive=lambda: procs.running_pid(state, name) == pid)


def public_network(state):
    """The /24 of the public network, chosen once per state directory."""
    cidr = state.settings.get('public_cidr')
    if cidr:
        return ipaddress.ip_network(cidr)
    taken = _host_networks()
    t = tag(state)
    first = 4 if not t else 5 + int(t, 16) % 240
    for n in list(range(first, 250)) + list(range(5, first)):
        net = ipaddress.ip_network(PUBLIC_PREFIX % n)
        if not any(net.overlaps(other) for other in taken):
            state.settings['public_cidr'] = str(net)
            state.save()
            return net
    raise RuntimeError('no free /24 in 172.24.0.0/16 for the public network')


def _host_networks():
    out = subprocess.run(['ip', '-4', '-o', 'addr', 'show'], capture_output=True,
                         text=True).stdout
    nets = []
    for line in out.splitlines():
        words = line.split()
        if 'inet' in words:
            nets.append(ipaddress.ip_interface(words[words.index('inet') + 1]).network)
    return nets


def host_address(state):
    """The host's address on the public network (its gateway), with prefix."""
    net = public_network(state)
    return '%s/%d' % (net.network_address + 1, net.prefixlen)


def other_vswitchds(state):
    """[(pid, command line)] of ovs-vswitchd processes that are not this cloud's.

    The userspace datapath opens a tap device named ``ovs-netdev``; that name
    is one per machine, so a second ovs-vswitchd cannot create its bridges
    while another runs (its log says "Device or resource busy").
    """
    ours = ovs_connection(state)
    return [(pid, ' '.join(argv).strip()) for pid, argv in procs.all_argvs()
            if os.path.basename(argv[0]) == 'ovs-vswitchd' and ours not in argv]


def start(state, say):
    """Start (or find running) every daemon; configure the chassis and bridges."""
    check_paths(state)
    others = other_vswitchds(state)
    if others and not procs.running_pid(state, 'ovs-vswitchd'):
        raise RuntimeError(
            'another Open vSwitch runs on this machine (pid %d: %s); the userspace '
            'datapath\'s ovs-netdev device is one per machine, so only one cloud with '
            '--network neutron can run at a time: stop the other one first'
            % others[0])
    _create_databases(state)
    pid = _start(state, 'ovsdb-server-ovs')
    _wait_socket(state, 'ovsdb-server-ovs', pid, ovs_socket(state))
    int_br, ex_br = bridges(state)
    vsctl(state, '--no-wait', 'init')
    vsctl(state, '--no-wait', 'set', 'Open_vSwitch', '.',
          # the userspace datapath segments TCP itself instead of dropping
          # guests' large frames
          'other_config:userspace-tso-enable=true',
          'external_ids:system-id=%s' % chassis_name(state),
          'external_ids:hostname=%s' % nova.host_name(state),
          'external_ids:ovn-remote=%s' % ovn_connection(state, 'sb'),
          'external_ids:ovn-encap-type=geneve',
          'external_ids:ovn-encap-ip=127.0.0.1',
          'external_ids:ovn-bridge=%s' % int_br,
          'external_ids:ovn-bridge-datapath-type=netdev',
          'external_ids:ovn-bridge-mappings=%s:%s' % (PHYSNET, ex_br),
          'external_ids:ovn-cms-options=enable-chassis-as-gw')
    _start(state, 'ovs-vswitchd')
    _start_central(state)
    for bridge in (int_br, ex_br):
        vsctl(state, '--may-exist', 'add-br', bridge, '--', 'set', 'Bridge', bridge,
              'datapath_type=netdev')
    if int_br != 'br-int':
        # ovn-controller makes the integration bridge fail-secure; say so up front
        vsctl(state, 'set', 'Bridge', int_br, 'fail_mode=secure')
    _start(state, 'ovn-controller')
    _configure_host_side(state, ex_br)
    say('OVS (userspace datapath) and OVN running; bridges %s, %s; public network %s, '
        'the host at %s' % (int_br, ex_br, public_network(state), host_address(state)))


def _start_central(state):
    for which in ('nb', 'sb'):
        name = 'ovsdb-server-%s' % which
        _wait_socket(state, name, _start(state, name), ovn_socket(state, which))
    _start(state, 'ovn-northd')


def start_central(state):
    """OVN's northbound and southbound databases and ovn-northd alone: no Open
    vSwitch, no ovn-controller (the functional tier's Neutron, whose chassis are
    rows it writes into the southbound database: tests/fixtures/neutron.py)."""
    check_paths(state)
    _create_databases(state)
    _start_central(state)


def sbctl(state, *args, check=True):
    return subprocess.run(['ovn-sbctl', '--db=%s' % ovn_connection(state, 'sb'),
                           '--timeout=30'] + list(args), check=check, capture_output=True,
                          text=True)


def _configure_host_side(state, ex_br):
    """The host reaches the public network through the external bridge's own port."""
    try:
        procs.wait_for(lambda: _link_exists(ex_br), 120, 'the %s interface' % ex_br,
                       interval=0.1, alive=lambda: procs.running_pid(state, 'ovs-vswitchd'))
    except RuntimeError as exc:
        raise RuntimeError('%s; ovs-vswitchd says:\n%s' % (exc, procs.tail(
            os.path.join(state.log_dir, 'ovs-vswitchd.log'))))
    address = host_address(state)
    shown = subprocess.run(['ip', '-4', '-o', 'addr', 'show', 'dev', ex_br],
                           capture_output=True, text=True).stdout
    if address not in shown:
        subprocess.run(['ip', 'addr', 'add', address, 'dev', ex_br], check=True,
                       capture_output=True)
    subprocess.run(['ip', 'link', 'set', ex_br, 'up'], check=True, capture_output=True)


def _link_exists(name):
    return subprocess.run(['ip', 'link', 'show', name], capture_output=True).returncode == 0


def chassis_registered(state):
    out = subprocess.run(['ovn-sbctl', '--db=%s' % ovn_connection(state, 'sb'), '--timeout=5',
                          '--bare', '--columns=name', 'list', 'Chassis'],
                         capture_output=True, text=True).stdout
    return chassis_name(state) in out.split()


def wait_chassis(state, timeout=60):
    procs.wait_for(lambda: chassis_registered(state), timeout,
                   'ovn-controller registering chassis %s' % chassis_name(state),
                   interval=0.2, alive=lambda: procs.running_pid(state, 'ovn-controller'))


def internal_ports(state):
    """Names of the OVS internal ports (bridges' own and added ones): host taps."""
    if procs.running_pid(state, 'ovsdb-server-ovs') is None:
        return list(bridges(state))
    out = vsctl(state, '--bare', '--columns=name', 'find', 'Interface', 'type=internal',
                check=False).stdout
    return sorted(set(out.split()) | set(bridges(state)))


def stop(state, say):
    # The userspace datapath's taps outlive ovs-vswitchd: note them first.
    taps = internal_ports(state)
    for name in reversed(DAEMONS):
        pid = procs.stop(state, name)
        if pid:
            say('stopped %s (pid %d)' % (name, pid))
    for tap in taps:
        if _link_exists(tap):
            subprocess.run(['ip', 'link', 'delete', tap], capture_output=True)


def status_rows(state):
    """[(name, pid)] of the OVS/OVN daemons."""
    return [(name, procs.running_pid(state, name)) for name in DAEMONS]
