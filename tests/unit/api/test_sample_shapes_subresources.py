"""Server sub-resources and per-server actions against upstream's samples, by shape.

Covers ``/servers/{id}/ips``, ``/metadata``, ``/tags``, ``/os-server-password``,
``/os-instance-actions``, ``/remote-consoles``, ``/os-console-auth-tokens``,
``/os-server-external-events``, ``/diagnostics`` and the server actions whose
answers have a body (console output, consoles, ``createBackup``).  The seeded owner server
gets what those routes read: an address, two tags, a 'create' and a 'stop'
action (with a finished event on its host), a stored password, console tokens.

No nova-compute runs in a unit test (the compute RPC goes to oslo.messaging's
fake transport, where a call times out), so the compute RPC API's console,
console-output and diagnostics calls are answered in this process by the
compute manager's own code over the fake virt driver: what is checked is the
API's own view.
"""

import oslo_messaging as messaging
from oslo_utils import timeutils
import pytest

import nova.conf
from nova.api.openstack.compute import server_password
from nova.compute import api as compute_api
from nova.compute import console
from nova.compute import diagnostics
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import vm_states
from nova import context as nova_context
from nova import objects
from nova.virt import fake
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import shapes
from tests.unit.api.shapes import Case

CONF = nova.conf.CONF

FOLDERS = [
    'server-ips', 'server-metadata', 'os-server-tags', 'os-server-password',
    'os-console-output', 'os-create-backup', 'os-remote-consoles',
    'os-console-auth-tokens', 'os-server-diagnostics', 'os-instance-actions',
    'os-server-external-events', 'os-lock-server', 'os-pause-server',
    'os-suspend-server', 'os-admin-actions', 'os-deferred-delete',
]

NETWORK_INFO = [{
    'id': 'a3b5bb72-9f5e-4d9c-9d1c-1ffb6a1c9f01', 'address': '00:0c:29:0d:11:74',
    'network': {'label': 'private', 'subnets': [
        {'ips': [{'address': '192.168.1.30', 'version': 4, 'type': 'fixed',
                  'floating_ips': []}]}]},
}]

S = '/servers/{servers}'
ACTIONS = S + '/os-instance-actions'
IA = 'os-instance-actions/'


def _action_cases(version):
    """The list and show samples of one instance-actions microversion folder."""
    folder = IA + ('' if version == '2.1' else 'v%s/' % version)
    cases = [Case(folder + 'instance-actions-list-resp.json', 'GET', ACTIONS),
             Case(folder + 'instance-action-get-resp.json', 'GET',
                  ACTIONS + '/{stop_request}')]
    if version >= '2.51':
        cases.append(Case(folder + 'instance-action-get-non-admin-resp.json', 'GET',
                          ACTIONS + '/{stop_request}', persona='member'))
    if version >= '2.58':
        cases += [
            Case(folder + 'instance-actions-list-with-limit-resp.json', 'GET',
                 ACTIONS + '?limit=1'),
            Case(folder + 'instance-actions-list-with-marker-resp.json', 'GET',
                 ACTIONS + '?marker={stop_request}'),
            Case(folder + 'instance-actions-list-with-changes-since.json', 'GET',
                 ACTIONS + '?changes-since=2000-01-01T00:00:00Z'),
        ]
    if version >= '2.66':
        cases.append(Case(folder + 'instance-actions-list-with-changes-before.json', 'GET',
                          ACTIONS + '?changes-before=2999-01-01T00:00:00Z'))
    return cases


RC = 'os-remote-consoles/'

CASES = [
    # ips
    Case('server-ips/server-ips-resp.json', 'GET', S + '/ips'),
    Case('server-ips/server-ips-network-resp.json', 'GET', S + '/ips/private'),
    # metadata
    Case('server-metadata/server-metadata-all-resp.json', 'GET', S + '/metadata'),
    Case('server-metadata/server-metadata-all-resp.json', 'POST', S + '/metadata',
         'server-metadata/server-metadata-all-req.json'),
    Case('server-metadata/server-metadata-all-resp.json', 'PUT', S + '/metadata',
         'server-metadata/server-metadata-all-req.json'),
    Case('server-metadata/server-metadata-resp.json', 'GET', S + '/metadata/foo'),
    Case('server-metadata/server-metadata-resp.json', 'PUT', S + '/metadata/foo',
         'server-metadata/server-metadata-req.json'),
    # tags (2.26)
    Case('os-server-tags/v2.26/server-tags-index-resp.json', 'GET', S + '/tags'),
    Case('os-server-tags/v2.26/server-tags-put-all-resp.json', 'PUT', S + '/tags',
         'os-server-tags/v2.26/server-tags-put-all-req.json'),
    # As the project member the samples were taken as (no OS-EXT-SRV-ATTR, no
    # host_status).  security_groups is optional in the API reference: upstream
    # lists the groups of the server's Neutron ports and leaves the key out when
    # it has none, as the seeded server (no ports) has.
    Case('os-server-tags/v2.26/server-tags-show-details-resp.json', 'GET', S,
         persona='member', optional=('server.security_groups',)),
    Case('os-server-tags/v2.26/servers-tags-details-resp.json', 'GET', '/servers/detail',
         persona='member', optional=('servers[].security_groups',)),
    # password
    Case('os-server-password/get-password-resp.json', 'GET', S + '/os-server-password'),
    # console output and backup (server actions with a body)
    Case('os-console-output/console-output-post-resp.json', 'POST', S + '/action',
         'os-console-output/console-output-post-req.json'),
    Case('os-create-backup/v2.45/create-backup-resp.json', 'POST', S + '/action',
         'os-create-backup/v2.45/create-backup-req.json'),
    # remote consoles: the server actions before 2.6, the resource from 2.6
    Case(RC + 'get-vnc-console-post-resp.json', 'POST', S + '/action',
         RC + 'get-vnc-console-post-req.json'),
    Case(RC + 'get-spice-console-post-resp.json', 'POST', S + '/action',
         RC + 'get-spice-console-post-req.json'),
    Case(RC + 'get-serial-console-post-resp.json', 'POST', S + '/action',
         RC + 'get-serial-console-post-req.json'),
    Case(RC + 'v2.6/create-vnc-console-resp.json', 'POST', S + '/remote-consoles',
         RC + 'v2.6/create-vnc-console-req.json'),
    Case(RC + 'v2.99/create-spice-direct-console-resp.json', 'POST',
         S + '/remote-consoles', RC + 'v2.99/create-spice-direct-console-req.json'),
    # console auth tokens: a serial token (2.31), a spice-direct one with its TLS port (2.99)
    Case('os-console-auth-tokens/v2.31/get-console-connect-info-get-resp.json', 'GET',
         '/os-console-auth-tokens/{serial_token}'),
    Case('os-console-auth-tokens/v2.99/get-console-connect-info-get-resp.json', 'GET',
         '/os-console-auth-tokens/{spice_token}'),
    # diagnostics: the fake driver's own dict before 2.48 (keys are the driver's
    # choice; the fake names them as the sample's libvirt guest has them), the
    # standard fields from 2.48
    Case('os-server-diagnostics/server-diagnostics-get-resp.json', 'GET',
         S + '/diagnostics'),
    Case('os-server-diagnostics/v2.48/server-diagnostics-get-resp.json', 'GET',
         S + '/diagnostics'),
    # external events (the request sample's event name is not one Nova accepts)
    Case('os-server-external-events/event-create-resp.json', 'POST',
         '/os-server-external-events',
         {'events': [{'name': 'network-changed', 'tag': 'foo', 'status': 'completed',
                      'server_uuid': '{servers}'}]}),
]
for _version in ('2.1', '2.21', '2.51', '2.58', '2.62', '2.66', '2.84'):
    CASES += _action_cases(_version)

WAIVED = {
    RC + 'get-rdp-console-post-resp.json':
        'RDP consoles need the Hyper-V driver, which this project does not build: a 400',
    RC + 'v2.8/create-mks-console-resp.json':
        'MKS consoles are VMware only, a driver this project does not build',
}


class _Images(seeded.Images):
    """Glance's in-memory stand-in, also taking the image a backup uploads into."""

    def create(self, context, image_meta):
        return dict(image_meta, id='0e7761dd-ee98-41f0-ba35-05994e446431', status='queued')


class _Compute(console.ConsoleOperations, diagnostics.DiagnosticsOperations):
    """The compute host's answers to the API's RPC calls, run in this process.

    No nova-compute consumes RPC in a unit test; the manager's own console
    and diagnostics code over the fake virt driver stands in for it, so tokens
    are really recorded, URLs really built and diagnostics really read.
    """

    def __init__(self):
        self.host = 'host1'
        self.driver = fake.FakeDriver(None)

    def rpc(self, method):
        def call(rpcapi, ctxt, instance, console_type):
            try:
                return getattr(self, method)(ctxt, console_type, instance)
            except messaging.ExpectedException as wrapped:
                raise wrapped.exc_info[1]
        return call

    def diagnostics(self, method):
        def call(rpcapi, ctxt, instance):
            try:
                return getattr(self, method)(ctxt, instance)
            except messaging.ExpectedException as wrapped:
                raise wrapped.exc_info[1]
        return call

    def console_output(self):
        def call(rpcapi, ctxt, instance, tail_length):
            return self.driver.get_console_output(ctxt, instance)
        return call


def _seed_actions(cctxt, instance_uuid, ids):
    """A finished 'create' then a 'stop' with one event on host1, each its own request."""
    for name in ('create', 'stop'):
        rctxt = nova_context.RequestContext('owner', seeded.OWNER_PROJECT, is_admin=True)
        rctxt.db_connection = cctxt.db_connection
        rctxt.cell_uuid = getattr(cctxt, 'cell_uuid', None)
        objects.InstanceAction.action_start(rctxt, instance_uuid, name, want_result=False)
        ids['%s_request' % name] = rctxt.request_id
        if name == 'stop':
            objects.InstanceActionEvent.event_start(
                rctxt, instance_uuid, 'compute_stop_instance', want_result=False,
                host='host1')
            objects.InstanceActionEvent.event_finish(
                rctxt, instance_uuid, 'compute_stop_instance', want_result=False)
        objects.InstanceAction.action_finish(rctxt, instance_uuid, want_result=False)


def _seed_token(cctxt, instance_uuid, console_type, port, tls_port=None):
    token = objects.ConsoleAuthToken(
        context=cctxt, console_type=console_type, host='fakeconsole.example', port=port,
        internal_access_path='FAKE', instance_uuid=instance_uuid,
        access_url_base='http://127.0.0.1:6083/')
    if tls_port is not None:
        token.tls_port = tls_port
        token.internal_access_path = None
    token.authorize(600)
    return token.token


@pytest.fixture
def cloud(paste_app, cell1, monkeypatch, max_version, seeded_ids):
    monkeypatch.setattr(compute_api.get(), 'image_api', _Images())
    compute = _Compute()
    for method in ('get_vnc_console', 'get_spice_console', 'get_serial_console'):
        monkeypatch.setattr(compute_rpcapi.ComputeAPI, method, compute.rpc(method))
    monkeypatch.setattr(compute_rpcapi.ComputeAPI, 'get_console_output',
                        compute.console_output())
    for method in ('get_diagnostics', 'get_instance_diagnostics'):
        monkeypatch.setattr(compute_rpcapi.ComputeAPI, method, compute.diagnostics(method))
    server = seeded_ids['servers']
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance = objects.Instance.get_by_uuid(
            cctxt, server, expected_attrs=['info_cache', 'system_metadata'])
        instance.info_cache.network_info = NETWORK_INFO
        instance.info_cache.save()
        instance.system_metadata.update(server_password.convert_password(
            shapes.load('os-server-password/get-password-resp.json')['password']))
        instance.metadata = {'foo': 'Foo Value'}
        # A guest that booted: backups need it.
        instance.launched_at = timeutils.utcnow()
        instance.save()
        objects.TagList.create(cctxt, server, ['tag1', 'tag2'])
        _seed_actions(cctxt, server, seeded_ids)
        seeded_ids['serial_token'] = _seed_token(cctxt, server, 'serial', 6969)
        seeded_ids['spice_token'] = _seed_token(cctxt, server, 'spice-direct', 6969, tls_port=6970)
    compute.driver.instances[server] = fake.FakeInstance(
        server, instance.name, fake.POWER_RUNNING)
    for group in ('spice', 'serial_console'):
        CONF.set_override('enabled', True, group=group)
    yield Client(paste_app), seeded_ids
    for group in ('spice', 'serial_console'):
        CONF.clear_override('enabled', group=group)


def _filled(case, ids):
    """The case with placeholders in a dict body filled like its path."""
    def fill(value):
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value.format_map(ids) if isinstance(value, str) else value
    return case._replace(body=fill(case.body)) if isinstance(case.body, dict) else case


@pytest.mark.parametrize('case', CASES, ids=lambda case: '%s %s' % (case.method, case.sample))
def test_response_matches_sample_shape(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, _filled(case, ids), ids)


def test_every_response_sample_is_checked():
    assert shapes.unclaimed(FOLDERS, CASES, WAIVED) == []


# The newest sample of each route is still the shape at 'latest' (no later
# microversion changed these bodies).  The server views in the tags samples
# belong to the servers sweep, which follows their later changes.
LATEST = [case for case in CASES if case.sample in (
    'server-ips/server-ips-resp.json',
    'server-ips/server-ips-network-resp.json',
    'server-metadata/server-metadata-all-resp.json',
    'server-metadata/server-metadata-resp.json',
    'os-server-tags/v2.26/server-tags-index-resp.json',
    'os-server-tags/v2.26/server-tags-put-all-resp.json',
    'os-server-password/get-password-resp.json',
    'os-console-output/console-output-post-resp.json',
    'os-create-backup/v2.45/create-backup-resp.json',
    RC + 'v2.6/create-vnc-console-resp.json',
    RC + 'v2.99/create-spice-direct-console-resp.json',
    'os-console-auth-tokens/v2.99/get-console-connect-info-get-resp.json',
    'os-server-external-events/event-create-resp.json',
    'os-server-diagnostics/v2.48/server-diagnostics-get-resp.json',
) or case.sample.startswith(IA + 'v2.84/')]


@pytest.mark.parametrize('case', LATEST, ids=lambda case: '%s %s' % (case.method, case.sample))
def test_latest_keeps_the_newest_sample_shape(cloud, case):
    client, ids = cloud
    shapes.assert_matches(client, _filled(case, ids), ids, version='latest')


# Server actions whose samples are requests only: upstream answers 202 with no
# body; the server is first put in the state the action starts from.
REQUEST_ONLY = [
    ('os-lock-server/lock-server.json', vm_states.ACTIVE),
    ('os-lock-server/unlock-server.json', vm_states.ACTIVE),
    ('os-lock-server/v2.73/lock-server.json', vm_states.ACTIVE),
    ('os-lock-server/v2.73/lock-server-with-reason.json', vm_states.ACTIVE),
    ('os-lock-server/v2.73/unlock-server.json', vm_states.ACTIVE),
    ('os-pause-server/pause-server.json', vm_states.ACTIVE),
    ('os-pause-server/unpause-server.json', vm_states.PAUSED),
    ('os-suspend-server/server-suspend.json', vm_states.ACTIVE),
    ('os-suspend-server/server-resume.json', vm_states.SUSPENDED),
    ('os-admin-actions/admin-actions-reset-server-state.json', vm_states.ERROR),
    ('os-admin-actions/admin-actions-inject-network-info.json', vm_states.ACTIVE),
    ('os-deferred-delete/force-delete-post-req.json', vm_states.SOFT_DELETED),
    ('os-deferred-delete/restore-post-req.json', vm_states.SOFT_DELETED),
    # Before 2.45 the backup's image is named only by the Location header.
    ('os-create-backup/create-backup-req.json', vm_states.ACTIVE),
]


def _set_vm_state(cell, server, vm_state):
    ctxt = nova_context.get_admin_context()
    with nova_context.target_cell(ctxt, cell) as cctxt:
        instance = objects.Instance.get_by_uuid(cctxt, server, expected_attrs=[])
        instance.vm_state = vm_state
        instance.save()


@pytest.mark.parametrize('sample,vm_state', REQUEST_ONLY, ids=[r[0] for r in REQUEST_ONLY])
def test_request_only_action_is_accepted_without_a_body(cloud, cell1, sample, vm_state):
    client, ids = cloud
    _set_vm_state(cell1, ids['servers'], vm_state)
    res = client.post('/servers/%s/action' % ids['servers'], shapes.load(sample),
                      version=shapes.version_of(sample))
    assert res.status_int == 202, res.body
    assert res.body == b''


def test_reset_network_request_sample_is_gone(cloud):
    """Upstream removed resetNetwork with the XenAPI driver: its sample now gets 410."""
    client, ids = cloud
    res = client.post('/servers/%s/action' % ids['servers'],
                      shapes.load('os-admin-actions/admin-actions-reset-network.json'))
    assert res.status_int == 410, res.body
    assert res.json_body_or_none['computeFault']['code'] == 410
