from nova.virt.vmwareapi import cluster


def test_version_int():
    assert cluster.version_int('6.5.0') == 6005000
    assert cluster.version_int('8.0.2') == 8000002
    assert cluster.version_int('7') == 7000000


def test_datastore_paths():
    store = cluster.Datastore(None, 'ds 1', 1, 1, 'VMFS', 'u')
    assert store.path('_base', 'img', 'img.vmdk') == '[ds 1] _base/img/img.vmdk'
    assert store.path() == '[ds 1]'
    assert cluster.split_path('[ds 1] a/b.vmdk') == ('ds 1', 'a/b.vmdk')
    assert cluster.split_path('[ds1]') == ('ds1', '')


def test_node_uuid_is_stable_per_node_name():
    first, second = cluster.Cluster(None, 'C0'), cluster.Cluster(None, 'C0')
    for c in (first, second):
        c.ref = type('Ref', (), {'_moId': 'domain-c7'})()
        c.vcenter_uuid = 'abc'
    assert first.nodename == 'domain-c7.abc'
    assert first.node_uuid == second.node_uuid
