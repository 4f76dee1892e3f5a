"""doc/source/api/routes.rst is what tools/route_table.py makes from the code today."""

from nova.api.openstack import introspect
from tools import route_table


def test_committed_route_table_is_current():
    assert route_table.TARGET.read_text() == route_table.render(), (
        'doc/source/api/routes.rst is stale: run .venv/bin/python -m tools.route_table')


def test_every_operation_is_in_the_table():
    text = route_table.TARGET.read_text()
    for op in introspect.operations():
        assert '``%s``' % op.path in text
        if op.action:
            assert '(``%s``)' % op.action in text
        for rule in op.rules:
            assert '``%s``' % rule in text


def test_rows_carry_versions_and_rules():
    ops = {(op.method, op.path, op.action): op for op in introspect.operations()}
    row = route_table._row(ops[('PUT', '/flavors/{id}', None)])
    assert row[2] == '2.55 - %s' % route_table.avr.MAX_API_VERSION
    assert '``os_compute_api:os-flavor-manage:update``' in row[4]
    row = route_table._row(ops[('GET', '/os-networks', None)])
    assert row[2] == '2.1 - 2.35'
    row = route_table._row(ops[('GET', '/os-hypervisors/detail', None)])
    assert row[4] == '``os_compute_api:os-hypervisors:list-detail``'
