"""tools/tempest's bookkeeping: openrc parsing, tempest.conf, grouping results."""

import configparser

from tools.tempest_lib import cloud
from tools.tempest_lib import config
from tools.tempest_lib import detect
from tools.tempest_lib import report
from tools.tempest_lib import routes


def _result(test_id, status, **details):
    return {'id': test_id, 'status': status, 'details': details, 'tags': []}


def test_openrc_exports_are_read(tmp_path):
    path = tmp_path / 'openrc'
    path.write_text('# comment\nexport OS_AUTH_URL=http://127.0.0.1:5000/v3\n'
                    'export OS_PASSWORD="pa ss"\nexport PATH=/x:$PATH\nunrelated=1\n')
    env = cloud.read_openrc(str(path))
    assert env['OS_AUTH_URL'] == 'http://127.0.0.1:5000/v3'
    assert env['OS_PASSWORD'] == 'pa ss'
    assert 'unrelated' not in env


def test_noauth_openrc_is_refused(tmp_path):
    path = tmp_path / 'openrc'
    path.write_text('export OS_AUTH_TYPE=admin_token\nexport OS_TOKEN=admin:admin\n')
    try:
        cloud.Cloud(str(path))
    except SystemExit as exc:
        assert 'Keystone' in str(exc)
    else:
        raise AssertionError('a noauth openrc was accepted')


class _FakeCloud(object):
    username, password, project_name, project_domain = 'admin', 'pw', 'admin', 'Default'
    auth_url, region = 'http://127.0.0.1:5000/v3', 'RegionOne'


def _conf(found):
    text = configparser.RawConfigParser(interpolation=None)
    rendered = config.render(_FakeCloud(), found, ['img1', 'img2'], ['f1', 'f2'], '/ws')
    for section in rendered.sections():
        text[section] = dict(rendered.items(section, raw=True))
    return text


def test_features_follow_what_was_detected():
    found = detect.Features()
    found.services = {'compute', 'image', 'identity', 'volumev3'}
    found.min_microversion, found.max_microversion = '2.1', '2.100'
    found.compute_nodes, found.hypervisor_type = 2, 'QEMU'
    found.set('resize', True)
    found.set('shelve', False, 'no such action')
    conf = _conf(found)
    features = conf['compute-feature-enabled']
    assert features['resize'] == 'True'
    assert features['shelve'] == 'False'
    assert features['stable_rescue'] == features['rescue'] == 'False'
    # Probed options the probe never reached default to off, not to tempest's default.
    assert features['rescue'] == 'False'
    assert conf['service_available']['cinder'] == 'True'
    assert conf['service_available']['neutron'] == 'False'
    assert conf['compute']['max_microversion'] == '2.100'
    assert conf['compute']['min_compute_nodes'] == '2'
    assert conf['compute']['image_ref_alt'] == 'img2'
    assert 'feature off: shelve (no such action)' in config.summary(found)
    assert features['swap_volume'] == 'True'  # Cinder and QEMU's block copy
    found.services = {'compute', 'image', 'identity'}
    assert _conf(found)['compute-feature-enabled']['swap_volume'] == 'False'
    found.set('rescue', True)
    assert _conf(found)['compute-feature-enabled']['stable_rescue'] == 'True'
    assert _conf(found)['compute-feature-enabled']['personality'] == 'True'
    # --enable/--disable win over the options kept off and the derived ones.
    found.set('shelve_migrate', True, 'forced on by --enable')
    found.set('stable_rescue', False, 'forced off by --disable')
    features = _conf(found)['compute-feature-enabled']
    assert (features['shelve_migrate'], features['stable_rescue']) == ('True', 'False')


def test_filters_come_from_nova_conf(tmp_path):
    (tmp_path / 'nova.conf').write_text('[filter_scheduler]\nenabled_filters = A, B\n')
    parsed = detect._read_nova_conf(str(tmp_path / 'nova.conf'))
    assert parsed[('filter_scheduler', 'enabled_filters')] == 'A, B'


def test_failures_group_by_cause_and_known_list():
    known = [report.Known('b', '*', r'\.test_resize\.', 'moves are not built'),
             report.Known('c', 'fake', r'\.test_console\.', 'fake console')]
    trace = ('Traceback...\ntempest.lib.exceptions.NotFound: Object not found\n'
             'Details: {"code": 404, "message": "Instance '
             '1c798591-5f38-43a1-a664-7cf8877f094b could not be found."}')
    results = [
        _result('tempest.api.compute.a.test_x.T.test_one[id-1,smoke]', 'success'),
        _result('tempest.api.compute.a.test_resize.T.test_two[id-2]', 'fail', traceback=trace),
        _result('tempest.api.compute.a.test_console.T.test_three[id-3]', 'fail',
                traceback='AssertionError: 3 != 2'),
        _result('setUpClass (tempest.api.compute.a.test_other.T)', 'fail',
                traceback=trace.replace('1c79', 'ffff')),
        _result('tempest.api.compute.a.test_y.T.test_four[id-4]', 'skip',
                reason='Resize is not available.'),
        _result('tempest.api.compute.a.test_y.T.test_five[id-5]', 'skip',
                reason='Resize is not available.'),
    ]
    counts, skips, failures = report.summarise(results, 'fake', known)
    assert (counts['passed'], counts['failed'], counts['skipped']) == (1, 3, 2)
    assert len(skips['Resize is not available.']) == 2
    assert list(failures[('b', 'moves are not built')].values()) == [
        ['tempest.api.compute.a.test_resize.T.test_two']]
    assert ('c', 'fake console') in failures
    unexplained = failures[(None, None)]
    (cause, ids), = unexplained.items()
    assert '<uuid>' in cause and ids == ['setUpClass (tempest.api.compute.a.test_other.T)']
    text = report.render(counts, skips, failures, 12)
    assert text.splitlines()[-1] == '1 passed, 3 failed, 2 skipped'
    assert '1 unexplained failures' in text
    # On another driver the fake-only entry no longer explains the failure.
    _c, _s, failures = report.summarise(results, 'libvirt', known)
    assert sum(len(ids) for ids in failures[(None, None)].values()) == 2


def test_the_known_failures_file_parses():
    for entry in report.load_known():
        assert entry.category in report.CATEGORIES and entry.why


def test_route_probe_fills_paths_without_touching_real_resources():
    fixtures = routes.Fixtures(cloud=None)
    fixtures.ids = {'server_id': 'S', 'tenant_id': 'P', 'key': 'probe'}
    assert fixtures.fill('GET', '/servers/{server_id}/metadata/{key}') == \
        '/servers/S/metadata/probe'
    assert fixtures.fill('DELETE', '/os-quota-sets/{tenant_id}') == \
        '/os-quota-sets/%s' % routes.UNKNOWN
    assert fixtures.fill('GET', '/os-cells/{cell_id}') == '/os-cells/%s' % routes.UNKNOWN


def test_server_errors_name_the_service(tmp_path):
    services = {'http://127.0.0.1:6600': 'identity'}
    line = ('2026-12-07 03:42:34.127 25102 INFO tempest.lib.common.rest_client [-] Request '
            '(ListImagesTestJSON:setUpClass): 500 POST http://127.0.0.1:6600/v3/auth/tokens '
            '0.764s\n')
    (tmp_path / 'tempest.log').write_text('Request (X:test_a): 200 GET http://h/ 0.1s\n' + line)
    index = report.class_server_errors(str(tmp_path / 'tempest.log'), services)
    assert index == {'ListImagesTestJSON': 'HTTP 500 from identity (POST /v3/auth/tokens)'}
    known = [report.Known('d', '*', r'cause:HTTP\s5\d\d\sfrom\sidentity', 'keystone')]
    results = [_result('setUpClass (tempest.api.compute.images.test_list_images.'
                       'ListImagesTestJSON)', 'fail', traceback='ServerFault')]
    _c, _s, failures = report.summarise(results, 'fake', known, services, index)
    assert list(failures) == [('d', 'keystone')]


def test_probe_reasons_are_the_api_message():
    exc = cloud.HTTPError('POST', 'http://x/action', 404, '{"itemNotFound": {"code": 404, '
                          '"message": "There is no such action: rescue"}}')
    assert detect._reason(exc) == 'HTTP 404: There is no such action: rescue'
    assert detect._reason(cloud.HTTPError('GET', 'u', 502, 'Bad gateway')) == \
        'HTTP 502: Bad gateway'
    assert detect._reason(TimeoutError('timed out')) == 'timed out'


def test_route_probe_takes_a_501_for_a_served_route(monkeypatch):
    # /os-baremetal-nodes answers 501 without Ironic, as upstream: served, not a fault.
    rows = [('GET', '/os-baremetal-nodes', True, [('2.1', 501, '{}'), ('2.104', 404, '{}')]),
            ('GET', '/os-hosts', True, [('2.1', 500, '{}'), ('2.104', 404, '{}')])]
    monkeypatch.setattr(routes, 'load_table', lambda contract=None: [])
    monkeypatch.setattr(routes, 'probe', lambda cloud, table, say: (rows, '2.104'))
    monkeypatch.setattr(routes, 'discovery', lambda cloud: [])
    said = []
    assert routes.main(None, said.append) == 1
    assert [line.split()[2] for line in said if line.startswith('5xx')] == ['/os-hosts']
    assert '2 of upstream\'s 2 method+path routes served' in said[-1]
    assert '1 answer 5xx' in said[-1]


def test_run_writes_tempest_output_unbuffered(tmp_path, monkeypatch):
    """tempest's Python writes into a pipe: without PYTHONUNBUFFERED its per-test
    lines would only reach the log (and the progress count) when the run ends."""
    import sys

    from tools.tempest_lib import runner
    fake = tmp_path / 'tempest'
    fake.write_text('#!%s\nimport os, sys\n'
                    'print("{0} tempest.api.compute.x.T.test_a [1s] ... ok")\n'
                    'print("unbuffered=%%s" %% os.environ.get("PYTHONUNBUFFERED"))\n'
                    'print("args=%%s" %% " ".join(sys.argv[1:]))\n' % sys.executable)
    fake.chmod(0o755)
    monkeypatch.setattr(runner, 'bin_path', lambda name: str(tmp_path / name))
    log = tmp_path / 'run.log'
    runner.run(str(tmp_path), 'R', 2, exclude_regex='X', log_path=str(log), say=lambda m: None)
    text = log.read_text()
    assert '} tempest.api.compute.x.T.test_a' in text
    assert 'unbuffered=1' in text
    assert 'args=run --regex R --concurrency 2 --exclude-regex X' in text


def test_accounts_keep_alt_users_out_of_the_primarys_project(tmp_path):
    import json
    from tools.tempest_lib import accounts
    plan = accounts.plan(2, {'member', 'reader', 'manager', 'admin', 'service'})
    # Alt users come first, alone in their projects, with no roles in the file:
    # tempest gives a class's alt user the first free account that is not admin.
    alts = [a for a in plan if not a[3]]
    assert plan[:len(alts)] == alts and len(alts) == 4
    assert len({a[0] for a in alts}) == 4
    personas = [a for a in plan if a[3] and 'admin' not in a[3]]
    projects = {a[0] for a in personas}
    assert len(projects) == 5 and not projects & {a[0] for a in alts}
    for project in projects:
        assert sorted(a[3][0] for a in personas if a[0] == project) == [
            'manager', 'member', 'reader']
    assert [a[2] for a in plan if 'service' in a[3]] == [['admin', 'service']] * 2
    # Without the roles in Keystone, no account asks for them.
    small = accounts.plan(1, {'member', 'reader', 'admin'})
    assert not [a for a in small if {'manager', 'service'} & set(a[2])]
    text = accounts.render(plan, 'p"w', 'Default')
    path = tmp_path / 'accounts.yaml'
    path.write_text(text)
    assert accounts._password(str(path)) == 'p"w'
    assert text.count('- username: ') == len(plan)
    assert '  roles: ["member"]' in text and json.dumps(plan[0][1]) in text


def test_stale_account_locks_are_freed(tmp_path):
    from tools.tempest_lib import accounts
    (tmp_path / ('a' * 32)).write_text('worker')
    (tmp_path / 'tempest-test_accounts_io').write_text('')
    assert accounts.unlock_all(str(tmp_path)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ['tempest-test_accounts_io']
    assert accounts.unlock_all(str(tmp_path / 'missing')) == 0


def test_pre_provisioned_accounts_turn_dynamic_credentials_off():
    found = detect.Features()
    rendered = config.render(_FakeCloud(), found, ['i1', 'i2'], ['f1', 'f2'], '/ws',
                             accounts_file='/ws/etc/accounts.yaml')
    assert rendered.get('auth', 'use_dynamic_credentials') == 'False'
    assert rendered.get('auth', 'test_accounts_file') == '/ws/etc/accounts.yaml'
    assert _conf(found)['auth']['use_dynamic_credentials'] == 'True'
