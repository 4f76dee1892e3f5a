"""``tools/allinone up|status|down``: one command to a working all-in-one cloud."""

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.error

from tools.allinone_lib import layout
from tools.allinone_lib import procs

OPENRC_KEYSTONE = """# Source this file: . {path}
export OS_AUTH_URL={auth_url}/v3
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD={password}
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME={region}
export OS_AUTH_TYPE=password
export PATH={bin_dir}:$PATH
"""

OPENRC_NOAUTH = """# Source this file: . {path}
# Keystone is not running (--noauth): nova and placement accept any token, the
# "user:project" form makes nova treat the caller as that user and project.
export OS_AUTH_TYPE=admin_token
export OS_TOKEN=admin:admin
export OS_ENDPOINT={compute_url}
export OS_COMPUTE_ENDPOINT_OVERRIDE={compute_url}
export OS_IMAGE_ENDPOINT_OVERRIDE={image_url}
export OS_PLACEMENT_ENDPOINT_OVERRIDE={placement_url}
# No identity service: without these two, the client would take the compute
# endpoint's version document (served without a token) for identity's and
# refuse identity v3 commands (openstack server list asks for one).
export OS_IDENTITY_API_VERSION=3
export OS_IDENTITY_ENDPOINT_OVERRIDE={compute_url}/v3
export PATH={bin_dir}:$PATH
"""


def say(msg):
    print('allinone: %s' % msg, flush=True)


class Timer(object):
    def __init__(self):
        self.start = time.monotonic()

    def __str__(self):
        return '%.1fs' % (time.monotonic() - self.start)


def up(state, args):
    from tools.allinone_lib import glance
    from tools.allinone_lib import install
    from tools.allinone_lib import keystone
    from tools.allinone_lib import nova
    from tools.allinone_lib import resources
    from tools.allinone_lib import virt
    from tools.allinone_lib import neutron as network_lib
    timer = Timer()
    if state.exists() and state.noauth != args.noauth and args.noauth_given:
        raise SystemExit('allinone: %s was set up %s; run "down --purge" to change that'
                         % (state.path, 'with --noauth' if state.noauth else 'with Keystone'))
    stored_virt = state.settings.get('virt')
    if stored_virt not in (None, 'auto') and args.virt not in (None, 'auto', stored_virt):
        raise SystemExit('allinone: %s was set up with --virt %s; run "down --purge" to '
                         'change that' % (state.path, stored_virt))
    stored_network = state.settings.get('network', 'none')
    if state.exists() and args.network not in (None, stored_network):
        raise SystemExit('allinone: %s was set up with --network %s; run "down --purge" to '
                         'change that' % (state.path, stored_network))
    network = args.network or stored_network
    computes = args.computes if args.computes is not None else state.settings.get('computes', 0)
    if network == 'neutron' and computes:
        raise SystemExit('allinone: --computes with --network neutron is not supported yet '
                         '(the nodes have no OVS/ovn-controller of their own)')
    stored_volumes = state.settings.get('volumes', 'none')
    if state.exists() and args.volumes not in (None, stored_volumes):
        raise SystemExit('allinone: %s was set up with --volumes %s; run "down --purge" to '
                         'change that' % (state.path, stored_volumes))
    volumes = args.volumes or stored_volumes
    cell_count = args.cells if args.cells is not None else state.settings.get('cells', 1)
    if cell_count < 1:
        raise SystemExit('allinone: --cells must be 1 or more')
    if state.settings.get('cells', 1) > cell_count:
        raise SystemExit('allinone: %s has %d cells; run "down --purge" to have fewer'
                         % (state.path, state.settings['cells']))
    if cell_count > 1 and (computes or network == 'neutron' or volumes == 'ceph'):
        raise SystemExit('allinone: --cells with --computes, --network neutron or '
                         '--volumes ceph is not supported (the cells past cell1 run their '
                         'compute beside the controller)')
    fake_nodes = (args.fake_nodes if args.fake_nodes is not None
                  else state.settings.get('fake_nodes', 0))
    if volumes == 'ceph' and args.noauth:
        raise SystemExit('allinone: --volumes ceph needs Keystone (drop --noauth)')
    if network == 'neutron' and args.noauth:
        raise SystemExit('allinone: --network neutron needs Keystone (drop --noauth)')
    state.initialise(noauth=args.noauth, virt=args.virt or 'auto',
                     port_offset=args.port_offset)
    if state.settings.get('computes', 0) != computes:
        state.settings['computes'] = computes
        state.save()
    if (state.settings.get('cells', 1), state.settings.get('fake_nodes', 0)) != (
            cell_count, fake_nodes):
        state.settings['cells'] = cell_count
        state.settings['fake_nodes'] = fake_nodes
        state.save()
    if state.settings.get('network') != network or state.settings.get('volumes') != volumes:
        state.settings['network'] = network
        state.settings['volumes'] = volumes
        state.save()
    neutron = network == 'neutron'
    state.makedirs()
    write_openrc(state)
    if not args.skip_install:
        install.ensure_apt_packages(with_libvirt=state.settings['virt'] not in ('fake',
                                                                               'vmware'),
                                    log_dir=state.log_dir)
        if neutron:
            install.ensure_apt_packages(with_libvirt=False, log_dir=state.log_dir,
                                        with_network=True)
        install.ensure_services_venv(extras=network_lib.REQUIREMENTS if neutron else ())
        if volumes == 'ceph':
            from tools.allinone_lib import cinder
            install.ensure_apt_packages(with_libvirt=False, log_dir=state.log_dir,
                                        with_volumes=True)
            cinder.ensure_venv(state.log_dir)
    say('packages ready (%s)' % timer)
    if state.settings['virt'] == 'auto':
        state.settings['virt'] = virt.choose('auto', say)
        state.save()
    elif state.settings['virt'] == 'libvirt':
        virt.choose('libvirt', say)  # brings libvirtd up, or says why it cannot
    say('virt driver: %s' % state.settings['virt'])
    if state.settings['virt'] == 'vmware':
        from tools.allinone_lib import vmware
        vmware.start(state, say)
    nova.ensure_rabbitmq(say)
    nova.ensure_vhost(state)
    from tools.allinone_lib import cells
    cells.ensure_vhosts(state)
    nova.database_urls(state)  # MariaDB if it runs at the first up, else SQLite
    nova.create_databases(state)

    if not state.noauth:
        if not state.settings.get('keystone_ready'):
            keystone.bootstrap(state)
        keystone.start(state)
        if not state.settings.get('keystone_ready'):
            keystone.create_accounts_and_catalog(state)
            state.settings['keystone_ready'] = True
            state.save()
        say('keystone serving on %s (%s)' % (state.url('keystone'), timer))
    if neutron:
        from tools.allinone_lib import ovn
        ovn.start(state, say)
        if not state.settings.get('neutron_registered'):
            network_lib.register(state)
            state.settings['neutron_registered'] = True
            state.save()
        network_lib.start(state, say)
        say('neutron serving on %s (%s)' % (state.url('neutron'), timer))
    if volumes == 'ceph':
        start_volumes(state, timer)

    placement_cmd = [sys.executable, '-m', 'tools.placement_server',
                     '--state-dir', state.sub('placement'),
                     '--port', str(state.port('placement')),
                     '--auth-strategy', 'noauth2' if state.noauth else 'keystone']
    placement_db = nova.database_urls(state)['placement']
    if placement_db.startswith('mysql'):
        # Placement takes every claim; SQLite serialises them and fails
        # concurrent writers, so it shares nova's MariaDB when there is one.
        placement_cmd += ['--connection', placement_db]
    if not state.noauth:
        placement_cmd += ['--auth-url', state.url('keystone'),
                          '--password', state.settings['password']]
    placement_pid, _ = procs.start(state, 'placement', placement_cmd, cwd=layout.REPO,
                                   marker='tools.placement_server')
    glance.start(state)
    procs.wait_serving(state, 'placement', placement_pid, state.url('placement'))
    say('placement on %s, glance on %s (%s)' % (state.url('placement'), state.url('glance'),
                                                timer))

    nova.write_config(state)
    cells.write_configs(state)
    nova.setup_databases(state)
    cells.setup_databases(state)
    say('nova databases ready (%s backend, %s)' % (state.settings['db_backend'], timer))
    from tools.allinone_lib import nodes
    # With --computes N the nodes run nova-compute; the controller runs none.
    daemons = tuple(n for n in nova.DAEMONS if n != 'nova-compute' or not nodes.count(state))
    if nodes.count(state) and procs.stop(state, 'nova-compute'):
        say('stopped the controller\'s nova-compute (the nodes run their own)')
    started = nova.start_daemons(state, daemons)
    statuses = {name: status for name, (status, _pid) in started.items()}
    pids = {name: pid for name, (_status, pid) in started.items()}
    for name in daemons:
        if statuses[name] == 'not built':
            say('%s is not built yet; skipped' % name)
    reporting = [n for n in ('nova-conductor', 'nova-scheduler', 'nova-compute')
                 if statuses.get(n) in ('started', 'running')]
    if nodes.count(state):
        nodes.up(state, nova.python_bin('nova-compute'), say)
        nova.wait_for_services(state, reporting)
        nodes.wait_reporting(state, nova.service_rows)
        reporting.append('nova-compute on %d nodes' % nodes.count(state))
    else:
        nova.wait_for_services(state, reporting)
    if cells.extra(state):
        cells.start_daemons(state)
        for index in cells.extra(state):
            nova.wait_for_services(state, ['nova-conductor', 'nova-compute'],
                                   cell=cells.name(index))
            reporting.append('nova-conductor and nova-compute of %s' % cells.name(index))
        cells.wait_for_nodes(state)
    nova.discover_hosts(state)
    say('nova services reporting: %s (%s)' % (', '.join(reporting), timer))
    proxies = nova.start_console_proxies(state)
    if proxies:
        say('console proxies: %s (%s)' % (', '.join(
            '%s on %s' % (name, state.url(name)) for name in proxies), timer))

    token = resources.admin_token(state)
    if neutron and not state.settings.get('networks'):
        from tools.allinone_lib import keystone
        from tools.allinone_lib import networks
        admin = keystone.Client(state.url('keystone'), state.settings['password'])
        project = admin.find('projects', name='admin', domain_id='default')
        state.settings['networks'] = networks.create(state, token, project['id'])
        state.save()
        say('networks private (%s) and public (%s), router1 (%s)' % (
            networks.PRIVATE_CIDR, state.settings['public_cidr'], timer))
    if statuses.get('nova-api') in ('started', 'running'):
        procs.wait_serving(state, 'nova-api', pids['nova-api'], state.url('nova-api'), 60)
        try:
            created = resources.create_flavors(state, token)
        except (urllib.error.URLError, OSError) as exc:
            # The API is being written; a cloud without flavors is still useful.
            say('notice: nova-api could not create the flavors (%s); see %s'
                % (exc, os.path.join(state.log_dir, 'nova-api.log')))
        else:
            if created:
                say('flavors created: %s' % ', '.join(created))
    else:
        say('notice: nova-api is not built yet, so no flavors were created')
    image_id = resources.ensure_image(state, token)
    state.settings['image_id'] = image_id
    if state.settings['virt'] == 'vmware':
        from tools.allinone_lib import vmware
        image_id = state.settings['vmdk_image_id'] = vmware.ensure_image(state, token)
    libvirt = state.settings['virt'] == 'libvirt'
    try:
        state.settings['test_guest_image_id'] = resources.ensure_test_guest_image(state, token)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        if libvirt:
            raise RuntimeError('cannot build or upload the %s image: %s'
                               % (resources.TEST_GUEST_IMAGE, exc))
        say('notice: no %s image (%s)' % (resources.TEST_GUEST_IMAGE, exc))
    state.save()
    if statuses.get('nova-api') in ('started', 'running'):
        smoke_image = state.settings['test_guest_image_id'] if libvirt else image_id
        try:
            seconds = resources.smoke_boot(
                state, token, smoke_image,
                console_marker=virt.instances_path(state) if libvirt else None)
        except (RuntimeError, urllib.error.URLError, OSError) as exc:
            say('ERROR: the test server did not boot: %s (logs in %s)' % (exc, state.log_dir))
            return 1
        say('booted a test server (%s) and deleted it' % ', '.join(
            '%s in %.1fs' % item for item in seconds.items()))
    say('up in %s' % timer)
    print_summary(state, statuses)
    return 0


def start_volumes(state, timer):
    """Ceph, libvirt's copy of its key (with libvirt) and Cinder on it."""
    from tools.allinone_lib import ceph
    from tools.allinone_lib import cinder
    ceph.start(state, say)
    say('ceph ready (%s)' % timer)
    if state.settings['virt'] == 'libvirt':
        ceph.define_libvirt_secret(state)
    cinder.start(state, say)
    say('cinder ready (%s)' % timer)


def write_openrc(state):
    bin_dir = os.path.join(layout.SERVICES_VENV, 'bin')  # the openstack CLI
    if state.noauth:
        text = OPENRC_NOAUTH.format(path=state.openrc, compute_url=state.url('nova-api') +
                                    '/v2.1', image_url=state.url('glance'),
                                    placement_url=state.url('placement'), bin_dir=bin_dir)
    else:
        text = OPENRC_KEYSTONE.format(path=state.openrc, auth_url=state.url('keystone'),
                                      password=state.settings['password'],
                                      region=layout.REGION, bin_dir=bin_dir)
    with open(state.openrc, 'w') as f:
        f.write(text)


def print_summary(state, statuses=None):
    print()
    print('State directory: %s' % state.path)
    print('  nova.conf:     %s' % state.nova_conf)
    print('  openrc:        %s   (. %s; openstack server list)' % (state.openrc, state.openrc))
    print('  logs:          %s' % state.log_dir)
    print('  virt driver:   %s%s' % (state.settings.get('virt'), (
        ', %d fake nodes per nova-compute' % state.settings['fake_nodes']
        if state.settings.get('fake_nodes') else '')))
    from tools.allinone_lib import cells
    print('  cells:         %s' % ', '.join(['cell1 (nova.conf)'] + [
        '%s (%s)' % (cells.name(i), os.path.basename(cells.conf_path(state, i)))
        for i in cells.extra(state)]))
    if state.settings.get('network') == 'neutron':
        from tools.allinone_lib import ovn
        print('  network:       neutron (ML2/OVN); bridges %s, %s; public %s, host %s'
              % (ovn.bridges(state) + (state.settings.get('public_cidr'),
                                       ovn.host_address(state)
                                       if state.settings.get('public_cidr') else '-')))
    else:
        print('  network:       none (servers boot with --nic none)')
    if state.settings.get('volumes') == 'ceph':
        from tools.allinone_lib import ceph
        print('  volumes:       cinder (RBD) on ceph; ceph -c %s; rbd -c %s ls volumes'
              % (ceph.conf_path(state), ceph.conf_path(state)))
    else:
        print('  volumes:       none (no Cinder)')
    print('  image:         %s (%s)' % ('cirros-fake', state.settings.get('image_id')))
    if state.settings.get('vmdk_image_id'):
        print('  image:         %s (%s)' % ('cirros-vmdk', state.settings['vmdk_image_id']))
    if state.settings.get('test_guest_image_id'):
        print('  image:         %s (%s)' % ('nova-test-guest',
                                            state.settings['test_guest_image_id']))
    print('  auth:          %s' % ('noauth2 (no Keystone)' if state.noauth else
                                   'Keystone, admin / %s' % state.settings['password']))
    print()
    print_processes(state)
    print_nodes(state)


def print_nodes(state):
    from tools.allinone_lib import nodes
    rows = nodes.rows(state)
    if not rows:
        return
    print()
    print('compute nodes (bridge %s, controller %s):' % (nodes.bridge_name(state),
                                                         nodes.gateway(state)))
    print('%-10s %-14s %-16s %s' % ('host', 'address', 'netns', 'processes'))
    for row in rows:
        print('%-10s %-14s %-16s %s' % (row['host'], row['address'], row['netns'], ' '.join(
            '%s=%s' % (name, pid or 'DOWN') for name, pid in row['processes'].items())))


SERVICE_PORTS = {'keystone': 'keystone', 'placement': 'placement', 'glance': 'glance',
                 'nova-api': 'nova-api', 'nova-novncproxy': 'nova-novncproxy',
                 'nova-spicehtml5proxy': 'nova-spicehtml5proxy',
                 'nova-serialproxy': 'nova-serialproxy', 'neutron-server': 'neutron',
                 'cinder-api': 'cinder'}


def print_processes(state):
    from tools.allinone_lib import cells
    names = ['keystone', 'placement', 'glance', 'nova-conductor', 'nova-scheduler',
             'nova-compute', 'nova-api'] + cells.daemon_names(state)
    print('%-26s %-8s %-6s %s' % ('process', 'pid', 'alive', 'url'))
    for name in names + [n for n in procs.recorded_names(state) if n not in names]:
        if name == 'keystone' and state.noauth:
            continue
        pid = procs.running_pid(state, name)
        port = SERVICE_PORTS.get(name)
        url = state.url(port) if port else ''
        if name == 'nova-serialproxy':
            url = url.replace('http://', 'ws://')
        if port and pid and not procs.port_open(state.port(port)):
            url += ' (not listening)'
        print('%-26s %-8s %-6s %s' % (name, pid or '-', 'yes' if pid else 'no', url))


def status(state, args):
    if not state.exists():
        print('allinone: nothing at %s (run "tools/allinone up")' % state.path)
        return 1
    print_summary(state)
    print()
    try:
        from tools.allinone_lib import nova
        rows = nova.service_rows(state)
    except Exception as exc:
        print('nova services: unavailable (%s)' % exc)
        return 1
    print('%-16s %-24s %-6s %-8s %s' % ('binary', 'host', 'cell', 'state', 'status'))
    for row in rows:
        print('%-16s %-24s %-6s %-8s %s' % (
            row['binary'], row['host'], row['cell'], 'up' if row['up'] else 'down',
            'disabled' if row['disabled'] else 'enabled'))
    if state.settings.get('volumes') == 'ceph':
        from tools.allinone_lib import ceph
        print()
        print('ceph health: %s' % ceph.health(state))
    dead = [n for n in procs.recorded_names(state) if not procs.running_pid(state, n)]
    return 1 if dead else 0


STOP_ORDER = ('nova-novncproxy', 'nova-spicehtml5proxy', 'nova-serialproxy', 'nova-api',
              'nova-compute', 'nova-scheduler', 'nova-conductor', 'glance',
              'placement', 'keystone')


def down(state, args):
    from tools.allinone_lib import ceph
    from tools.allinone_lib import cinder
    from tools.allinone_lib import neutron
    from tools.allinone_lib import ovn
    from tools.allinone_lib import nodes
    if state.exists():
        nodes.down(state, purge=args.purge, log=say)
    names = procs.recorded_names(state)
    last = neutron.DAEMONS + ovn.DAEMONS + cinder.DAEMONS + ceph.DAEMONS
    for name in list(STOP_ORDER) + [n for n in names if n not in STOP_ORDER + last]:
        pid = procs.stop(state, name)
        if pid:
            say('stopped %s (pid %d)' % (name, pid))
    if state.settings.get('network') == 'neutron' or set(names) & set(last):
        neutron.stop(state, say)
        ovn.stop(state, say)
    if cinder.enabled(state) or set(names) & set(cinder.DAEMONS + ceph.DAEMONS):
        cinder.stop(state, say)  # before Ceph: cinder-volume holds RADOS connections
        ceph.stop(state, say)
    if args.purge and state.exists():
        from tools.allinone_lib import nova
        from tools.allinone_lib import virt
        virt.purge_domains(state, say)
        if cinder.enabled(state):
            ceph.undefine_libvirt_secret(state)
        try:
            nova.drop_databases(state)
            neutron.drop_database(state)
            cinder.drop_database(state)
        except Exception as exc:
            say('could not drop the databases: %s' % exc)
        nova.delete_vhost(state)
        from tools.allinone_lib import cells
        cells.delete_vhosts(state)
        shutil.rmtree(state.path)
        say('removed %s, its databases and the vhost %s'
            % (state.path, state.settings['vhost']))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog='tools/allinone', description=__doc__)
    parser.add_argument('--state-dir', default=os.environ.get('NOVA_ALLINONE_STATE_DIR',
                                                              layout.DEFAULT_STATE_DIR))
    sub = parser.add_subparsers(dest='command', required=True)
    p_up = sub.add_parser('up', help='install what is missing and start the cloud')
    p_up.add_argument('--noauth', action='store_true', default=None,
                      help='no Keystone: nova and placement run with noauth2')
    p_up.add_argument('--virt', default=None, choices=['auto', 'libvirt', 'fake', 'vmware'],
                      help='virt driver of nova-compute: libvirt (QEMU guests), fake '
                           '(no guests), vmware (a simulated vCenter cluster), or auto '
                           '(the default at the first up: libvirt where a guest can run, '
                           'else fake); kept by later ups')
    p_up.add_argument('--network', default=None, choices=['neutron', 'none'],
                      help='neutron: a Neutron server (ML2/OVN) with OVS, OVN and the '
                           'metadata agent, and networks private and public; none (the '
                           'default at the first up): servers boot without a network; '
                           'kept by later ups')
    p_up.add_argument('--volumes', default=None, choices=['ceph', 'none'],
                      help='ceph: a one-node Ceph cluster (pools volumes, images, vms) '
                           'and Cinder (API, scheduler, volume service with the RBD '
                           'driver), so servers get volumes; none (the default at the '
                           'first up): no block storage; kept by later ups')
    p_up.add_argument('--port-offset', type=int, default=0,
                      help='added to every service port (a second cloud on one machine)')
    p_up.add_argument('--computes', type=int, default=None, metavar='N',
                      help='N compute nodes, each a separate host on this machine (network, '
                           'mount and UTS namespaces of its own, its own libvirtd and '
                           'nova-compute); 0 (the default at the first up): one nova-compute '
                           'beside the controller; kept by later ups')
    p_up.add_argument('--cells', type=int, default=None, metavar='N',
                      help='N cells (1, the default at the first up: cell1 only); each cell '
                           'past cell1 gets its own database, RabbitMQ vhost, nova.conf, '
                           'nova-conductor and nova-compute, mapped with nova-manage '
                           'cell_v2 create_cell and discover_hosts; kept by later ups')
    p_up.add_argument('--fake-nodes', type=int, default=None, metavar='M',
                      help='with --virt fake: each nova-compute reports M nodes (M '
                           'hypervisors and resource providers; a simulated fleet); kept '
                           'by later ups')
    p_up.add_argument('--skip-install', action='store_true',
                      help='do not install Debian packages or the services virtualenv')
    sub.add_parser('status', help='the processes and the nova service list')
    p_down = sub.add_parser('down', help='stop every process (data stays)')
    p_down.add_argument('--purge', action='store_true',
                        help='also remove the state directory, databases and vhost')
    args = parser.parse_args(argv)
    state = layout.State(args.state_dir)
    if args.command == 'up':
        args.noauth_given = args.noauth is not None
        args.noauth = bool(args.noauth)
        handler = up
    else:
        handler = {'status': status, 'down': down}[args.command]
    try:
        sys.exit(handler(state, args))
    except RuntimeError as exc:
        print('allinone: error: %s' % exc, file=sys.stderr)
        print('allinone: logs are in %s' % state.log_dir, file=sys.stderr)
        sys.exit(1)
