"""What the compute API serves, read from its own route table, controllers and
policies: one operation per method, path and action key, with the microversions,
schemas and documented policy rules each has."""

from nova.api.openstack import api_version_request as avr
from nova.api.openstack import introspect
from nova.api.openstack import wsgi


def _by_key():
    return {(op.method, op.path, op.action): op for op in introspect.operations()}


def test_paths_are_compared_without_placeholder_names():
    assert introspect._normalise('/servers/{server_id}/tags/{tag}/') == '/servers/{}/tags/{}'
    assert introspect._normalise('/') == '/'
    assert introspect._normalise('/os-hypervisors/details') == '/os-hypervisors/detail'
    assert introspect._documented_path('/os-volumes_boot/{id}') == '/servers/{id}'
    assert introspect._documented_path('/os-volumes_boothouse') == '/os-volumes_boothouse'


def test_server_actions_are_one_operation_per_body_key():
    ops = _by_key()
    reboot = ops[('POST', '/servers/{id}/action', 'reboot')]
    assert reboot.handler.__name__ and reboot.rules == ['os_compute_api:servers:reboot']
    assert ('POST', '/servers/{id}/action', None) not in ops


def test_versions_schemas_and_rules_of_an_operation():
    ops = _by_key()
    update = ops[('PUT', '/flavors/{id}', None)]
    assert (update.min_version, update.max_version) == ('2.55', avr.MAX_API_VERSION)
    create = ops[('POST', '/servers', None)]
    assert create.min_version == avr.MIN_API_VERSION
    at_237 = introspect.schemas_for(create.body_schemas, avr.APIVersionRequest('2.37'))
    assert len(at_237) == 1 and 'networks' in at_237[0]['properties']['server']['required']
    assert introspect.schemas_for(create.body_schemas, avr.APIVersionRequest('2.1'))
    assert ops[('GET', '/servers', None)].query_schemas
    assert 'os_compute_api:servers:index' in ops[('GET', '/servers', None)].rules


def test_a_route_list_of_ones_own_and_redirects_skipped():
    class Controller(wsgi.Controller):
        @wsgi.Controller.api_version('2.10', '2.20')
        def index(self, req):
            pass

    controller = Controller()
    ops = introspect.operations([('/things', {'GET': (lambda: controller, 'index')}),
                                 ('/old', '/things')])
    assert [(op.method, op.path, op.min_version, op.max_version, op.rules) for op in ops] == [
        ('GET', '/things', '2.10', '2.20', [])]


def test_every_documented_rule_is_indexed_under_its_operation():
    index = introspect.policy_index()
    # A server's show is governed by its own rule and by the rules of what it may include.
    assert 'os_compute_api:servers:show' in index[('GET', '/servers/{}', None)]
    assert len(index[('GET', '/servers/{}', None)]) > 1
    assert index[('POST', '/servers/{}/action', 'os-stop')] == ['os_compute_api:servers:stop']
