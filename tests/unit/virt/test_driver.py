"""The fake driver's node identity and the inventory it reports."""

import nova.conf
from nova.compute import provider_tree
from nova.virt import driver
from nova.virt import fake
from nova.virt import node

CONF = nova.conf.CONF


def _driver(tmp_path, monkeypatch):
    monkeypatch.setattr(CONF, 'state_path', str(tmp_path), raising=False)
    CONF.set_override('state_path', str(tmp_path))
    drv = fake.FakeDriver(None)
    drv.init_host('host-a')
    return drv


def test_node_identity_survives_a_new_driver(tmp_path, monkeypatch):
    try:
        first = _driver(tmp_path, monkeypatch).get_nodenames_by_uuid()
        second = _driver(tmp_path, monkeypatch).get_nodenames_by_uuid()
        assert first == second
        assert list(first.values()) == ['host-a']
        assert (tmp_path / node.COMPUTE_ID_FILE).read_text().strip() == list(first)[0]
    finally:
        CONF.clear_override('state_path')


def test_corrupt_identity_file_is_refused(tmp_path):
    CONF.set_override('state_path', str(tmp_path))
    try:
        (tmp_path / node.COMPUTE_ID_FILE).write_text('not-a-uuid\n')
        import pytest
        from nova import exception
        with pytest.raises(exception.InvalidNodeConfiguration):
            node.get_local_node_uuid()
    finally:
        CONF.clear_override('state_path')


def test_inventory_uses_reserved_and_ratios_from_config(tmp_path, monkeypatch):
    overrides = {'cpu_allocation_ratio': 8.0, 'reserved_host_memory_mb': 2048,
                 'reserved_host_disk_mb': 1025, 'reserved_host_cpus': 2,
                 'initial_ram_allocation_ratio': 1.5}
    for key, value in overrides.items():
        CONF.set_override(key, value)
    try:
        drv = _driver(tmp_path, monkeypatch)
        tree = provider_tree.ProviderTree()
        uuid = next(iter(drv.get_nodenames_by_uuid()))
        tree.new_root('host-a', uuid)
        drv.update_provider_tree(tree, 'host-a')
        inv = tree.data(uuid).inventory
        assert inv['VCPU']['allocation_ratio'] == 8.0
        assert inv['VCPU']['reserved'] == 2
        assert inv['MEMORY_MB']['reserved'] == 2048
        assert inv['MEMORY_MB']['allocation_ratio'] == 1.5
        assert inv['DISK_GB']['reserved'] == 2  # 1025 MB rounds up to 2 GB
        assert inv['DISK_GB']['total'] == fake.FakeDriver.local_gb
    finally:
        for key in overrides:
            CONF.clear_override(key)
        CONF.clear_override('state_path')


def test_unknown_driver_is_a_clear_error():
    import pytest
    from nova import exception
    with pytest.raises(exception.VirtDriverNotFound):
        driver.load_compute_driver(None, 'nosuch.Driver')


def test_the_unit_tier_keeps_node_identity_out_of_the_checkout():
    # tests/unit/conftest.py points state_path's default at a temporary directory:
    # a driver made without an override must not write <checkout>/compute_id.
    import pathlib
    checkout = pathlib.Path(__file__).resolve().parents[3]
    assert not pathlib.Path(node._id_file()).resolve().is_relative_to(checkout)
