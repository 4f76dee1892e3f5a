"""CellMapping against a migrated SQLite API database: URL templates filled from
nova.conf, passwords masked for operators, cell0, lookups by state and project."""

import pytest
from oslo_utils import uuidutils

import nova.conf
from nova import exception
from nova import objects
from nova.objects import cell_mapping

CONF = nova.conf.CONF


@pytest.fixture(autouse=True)
def _transport_url(fake_rpc):
    """A cell mapping read back fills its URLs from [DEFAULT] transport_url."""



def _cell(ctxt, name='cell1', **values):
    fields = dict(uuid=uuidutils.generate_uuid(), name=name, transport_url='none:///',
                  database_connection='sqlite://')
    fields.update(values)
    cell = objects.CellMapping(ctxt, **fields)
    cell.create()
    return cell


@pytest.mark.parametrize('url, expected', [
    ('mysql+pymysql://nova:s3cret@db/nova', 'mysql+pymysql://nova:****@db/nova'),
    ('rabbit://guest:guest@mq:5672/', 'rabbit://guest:****@mq:5672/'),
    ('sqlite:///nova.db', 'sqlite:///nova.db'),
    (None, None),
])
def test_passwords_are_masked(url, expected):
    assert cell_mapping._mask_password(url) == expected


def test_stored_templates_are_filled_from_the_default_urls(ctxt):
    CONF.set_override('connection', 'mysql+pymysql://nova:pw@dbhost:3306/nova?charset=utf8',
                      group='database')
    try:
        cell = _cell(ctxt, database_connection='{scheme}://{username}:{password}@{hostname}:'
                                               '{port}/nova_cell1?{query}',
                     transport_url='{nonsense}://x')
        got = objects.CellMapping.get_by_uuid(ctxt, cell.uuid)
    finally:
        CONF.clear_override('connection', group='database')
    assert got.database_connection == \
        'mysql+pymysql://nova:pw@dbhost:3306/nova_cell1?charset=utf8'
    assert got.transport_url == '{nonsense}://x'  # an unknown variable: kept as stored
    assert got.masked_database_connection().startswith('mysql+pymysql://nova:****@')


def test_identity_and_cell0(ctxt):
    cell0 = _cell(ctxt, name=None, uuid=objects.CellMapping.CELL0_UUID)
    assert cell0.is_cell0() and cell0.identity == objects.CellMapping.CELL0_UUID
    named = _cell(ctxt)
    assert not named.is_cell0() and named.identity == '%s(cell1)' % named.uuid
    assert not objects.CellMapping().is_cell0()


def test_save_destroy_and_not_found(ctxt):
    cell = _cell(ctxt)
    cell.name, cell.disabled = 'renamed', True
    cell.save()
    assert objects.CellMapping.get_by_uuid(ctxt, cell.uuid).name == 'renamed'
    cell.destroy()
    with pytest.raises(exception.CellMappingNotFound):
        objects.CellMapping.get_by_uuid(ctxt, cell.uuid)


def test_lists_by_disabled_and_by_project(ctxt):
    enabled, disabled = _cell(ctxt, 'on'), _cell(ctxt, 'off', disabled=True)
    assert [c.name for c in objects.CellMappingList.get_all(ctxt)] == ['on', 'off']
    assert [c.uuid for c in objects.CellMappingList.get_by_disabled(ctxt, True)] == [
        disabled.uuid]
    assert [c.uuid for c in objects.CellMappingList.get_by_disabled(ctxt, False)] == [
        enabled.uuid]
    for n in range(2):
        objects.InstanceMapping(ctxt, instance_uuid=uuidutils.generate_uuid(),
                                project_id='p', cell_mapping=enabled).create()
    assert [c.uuid for c in objects.CellMappingList.get_by_project_id(ctxt, 'p')] == [
        enabled.uuid]
    assert len(objects.CellMappingList.get_by_project_id(ctxt, 'other')) == 0


def test_the_version_before_disabled_drops_it(ctxt):
    primitive = _cell(ctxt).obj_to_primitive(target_version='1.0')
    assert 'disabled' not in primitive['nova_object.data']
