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


def test_liveness_rows_read_by_key_and_attribute(ctxt):
    from nova import servicegroup
    for host, disabled in (('live-1', False), ('live-2', True)):
        objects.Service(ctxt, host=host, binary='nova-compute', topic='compute',
                        disabled=disabled).create()
    objects.Service(ctxt, host='live-1', binary='nova-conductor', topic='conductor').create()
    gone = objects.Service(ctxt, host='gone', binary='nova-compute', topic='compute')
    gone.create()
    gone.destroy()
    rows = objects.ServiceList.get_liveness_by_binary(ctxt, 'nova-compute')
    assert [(r.host, r.disabled) for r in rows] == [('live-1', False), ('live-2', True)]
    assert rows[0]['forced_down'] is False and rows[0].disabled_reason is None
    assert servicegroup.API().service_is_up(rows[0])  # created just now

