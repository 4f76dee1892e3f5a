"""find_cell_record: the mapping's cell first, every cell for an unmapped record."""

import pytest

from nova.compute import utils as compute_utils
from tests.unit.compute import booting


@pytest.fixture
def flavor(ctxt):
    return booting.flavor(ctxt)


@pytest.mark.parametrize('mapped', [True, False])
def test_a_record_is_found_mapped_or_not(fake_rpc, ctxt, flavor, two_cells, mapped):
    request, _spec = booting.build_request(ctxt, flavor)
    booting.write_to_cell(ctxt, two_cells[1], request, map_it=mapped)
    cell, record = compute_utils.find_cell_record(ctxt, request.instance_uuid)
    assert cell.uuid == two_cells[1].uuid and record.uuid == request.instance_uuid


def test_no_record_anywhere(fake_rpc, ctxt, flavor, two_cells):
    request, _spec = booting.build_request(ctxt, flavor)
    assert compute_utils.find_cell_record(ctxt, request.instance_uuid) == (None, None)
    assert compute_utils.find_cell_record(
        ctxt, '00000000-0000-0000-0000-000000000001') == (None, None)
