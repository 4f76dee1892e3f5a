"""nova.objects.service: compute services of several hosts in one read."""

from nova import objects


def test_compute_services_of_several_hosts_in_one_read(ctxt):
    for host, binary in (('h1', 'nova-compute'), ('h2', 'nova-compute'),
                         ('h3', 'nova-compute'), ('h1', 'nova-conductor')):
        objects.Service(ctxt, host=host, binary=binary, topic=binary[5:],
                        report_count=0, disabled=host == 'h2').create()
    found = objects.ServiceList.get_by_compute_hosts(ctxt, ['h1', 'h2', 'nowhere'])
    assert sorted(found) == ['h1', 'h2']
    assert found['h1'].binary == 'nova-compute' and not found['h1'].disabled
    assert found['h2'].disabled   # disabled hosts still have a status to show
    assert objects.ServiceList.get_by_compute_hosts(ctxt, []) == {}
