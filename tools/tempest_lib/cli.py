"""``tools/tempest``: tempest's compute API tests against a running all-in-one.

    tools/tempest --state-dir /work/state/x [--concurrency 2] [--smoke | --regex R]
    tools/tempest --state-dir /work/state/x --config-only
    tools/tempest --state-dir /work/state/x --report-only
    tools/tempest --state-dir /work/state/x routes

Sets up tempest's images and flavors in the cloud, detects what the cloud
has (services, microversions, compute nodes, the server operations it can
really do), writes ``<state-dir>/tempest/etc/tempest.conf``, runs tempest
and prints passed/failed/skipped with failures and skips grouped by cause.
Exits 1 when a failure is not explained by ``known_failures.txt``.
"""

import argparse
import json
import os
import sys
import time

from tools.tempest_lib import accounts
from tools.tempest_lib import cloud as cloud_mod
from tools.tempest_lib import config
from tools.tempest_lib import detect
from tools.tempest_lib import report
from tools.tempest_lib import resources
from tools.tempest_lib import runner


def say(msg):
    print('tempest: %s' % msg, flush=True)


def _driver(state_dir, found=None):
    try:
        with open(os.path.join(state_dir, 'allinone.json')) as f:
            virt = json.load(f).get('virt')
    except (OSError, ValueError):
        virt = None
    if virt in (None, 'auto') and found is not None:
        virt = 'fake' if found.hypervisor_type == 'fake' else 'libvirt'
    return virt or 'libvirt'


def prepare(args, cloud):
    """Images, flavors, detection, tempest.conf; returns (conf path, features)."""
    started = time.monotonic()
    source = args.source_image
    if not source and _driver(args.state_dir) == 'fake':
        source = ['cirros-fake', 'nova-test-guest']  # the smaller will do: nothing boots
    image_ids = resources.ensure_images(cloud, source, say=say)
    flavor_ids = resources.ensure_flavors(cloud, say=say)
    found = detect.detect(cloud, image_ids[0], flavor_ids[0], flavor_ids[1],
                          state_dir=args.state_dir, probe=not args.no_probe, say=say,
                          timeout=args.probe_timeout)
    for option in args.enable or ():
        found.set(option, True, 'forced on by --enable')
    for option in args.disable or ():
        found.set(option, False, 'forced off by --disable')
    for line in config.summary(found):
        say(line)
    conf_path = runner.ensure_workspace(args.workspace)
    accounts_file = None
    if not args.dynamic_credentials:
        accounts_file = os.path.join(args.workspace, 'etc', 'accounts.yaml')
        accounts.ensure(cloud, accounts_file, args.concurrency, say=say)
    config.write(config.render(cloud, found, image_ids, flavor_ids, args.workspace,
                               build_timeout=args.build_timeout,
                               accounts_file=accounts_file), conf_path)
    say('wrote %s (%.0fs)' % (conf_path, time.monotonic() - started))
    return conf_path, found


def _services(cloud):
    """{'http://host:port': service type} of the catalog, to name who answered 5xx."""
    services = {}
    for entry in cloud.catalog:
        for endpoint in entry['endpoints']:
            base = '/'.join(endpoint['url'].split('/')[:3])
            services.setdefault(base, entry['type'])
    return services


def show_report(args, cloud, found=None, seconds=None):
    results = runner.last_results(args.workspace)
    services = _services(cloud)
    class_errors = report.class_server_errors(
        os.path.join(args.workspace, 'logs', 'tempest.log'), services)
    counts, skips, failures = report.summarise(results, _driver(args.state_dir, found),
                                               services=services, class_errors=class_errors)
    text = report.render(counts, skips, failures, seconds, verbose=not args.brief)
    print(text)
    with open(os.path.join(args.workspace, 'report.txt'), 'w') as f:
        f.write(text + '\n')
    return 1 if failures.get((None, None)) else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog='tools/tempest', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--state-dir', default=os.environ.get('NOVA_ALLINONE_STATE_DIR'),
                        required='NOVA_ALLINONE_STATE_DIR' not in os.environ,
                        help='the all-in-one\'s state directory (its openrc and nova.conf)')
    parser.add_argument('--openrc', help='default: <state-dir>/openrc')
    parser.add_argument('--workspace', help='default: <state-dir>/tempest')
    parser.add_argument('--concurrency', type=int, default=2)
    parser.add_argument('--regex', default=runner.ALL_COMPUTE,
                        help='tests to run (default: %(default)s)')
    parser.add_argument('--exclude-regex')
    parser.add_argument('--smoke', action='store_true',
                        help='only the compute tests tempest tags smoke (a few minutes)')
    parser.add_argument('--config-only', action='store_true',
                        help='write tempest.conf and stop')
    parser.add_argument('--report-only', action='store_true',
                        help='print the report of the last run again')
    parser.add_argument('--no-probe', action='store_true',
                        help='do not try server operations; leave those features off')
    parser.add_argument('--enable', action='append', metavar='FEATURE',
                        help='force a [compute-feature-enabled] option on (repeatable)')
    parser.add_argument('--disable', action='append', metavar='FEATURE',
                        help='force a [compute-feature-enabled] option off (repeatable)')
    parser.add_argument('--source-image', help='image whose data tempest\'s images copy '
                        '(default: nova-test-guest, else cirros-fake)')
    parser.add_argument('--dynamic-credentials', action='store_true',
                        help='let tempest create a project and users per test class '
                        '(default: pre-provisioned accounts, made once before the run)')
    parser.add_argument('--build-timeout', type=int, default=300)
    parser.add_argument('--probe-timeout', type=int, default=120)
    parser.add_argument('--brief', action='store_true', help='no example tests per skip reason')
    parser.add_argument('command', nargs='?', choices=['run', 'routes'], default='run')
    args = parser.parse_args(argv)
    args.state_dir = os.path.abspath(args.state_dir)
    args.openrc = args.openrc or os.path.join(args.state_dir, 'openrc')
    args.workspace = os.path.abspath(args.workspace or os.path.join(args.state_dir, 'tempest'))
    if args.command == 'routes':
        from tools.tempest_lib import routes
        return sys.exit(routes.main(cloud_mod.Cloud(args.openrc), say))
    runner.ensure_tempest(say)
    cloud = cloud_mod.Cloud(args.openrc)
    cloud.authenticate()
    if args.report_only:
        return sys.exit(show_report(args, cloud))
    _conf, found = prepare(args, cloud)
    if args.config_only:
        return sys.exit(0)
    resources.cleanup_leftovers(cloud, say=say)
    accounts.unlock_all(os.path.join(args.workspace, 'lock'))
    regex = runner.SMOKE if args.smoke else args.regex
    seconds = runner.run(args.workspace, regex, args.concurrency, args.exclude_regex,
                         log_path=os.path.join(args.workspace, 'run.log'), say=say)
    say('tempest run took %.0fs' % seconds)
    sys.exit(show_report(args, cloud, found, seconds))
