"""nova.objects.aggregate on a migrated API database: hosts, metadata, zones."""

import pytest

from nova import exception
from nova import objects


def test_aggregate(ctxt):
    agg = objects.Aggregate(ctxt, name='rack1', metadata={'availability_zone': 'az1'})
    agg.create()
    assert agg.availability_zone == 'az1' and agg.hosts == []
    with pytest.raises(exception.AggregateNameExists):
        objects.Aggregate(ctxt, name='rack1').create()
    agg.add_host('h1')
    with pytest.raises(exception.AggregateHostExists):
        agg.add_host('h1')
    agg.update_metadata({'ssd': 'true', 'availability_zone': None})
    got = objects.Aggregate.get_by_uuid(ctxt, agg.uuid)
    assert got.metadata == {'ssd': 'true'} and got.hosts == ['h1']
    assert got.availability_zone is None
    assert [a.id for a in objects.AggregateList.get_by_host(ctxt, 'h1')] == [agg.id]
    assert len(objects.AggregateList.get_by_metadata_key(ctxt, 'ssd')) == 1
    assert len(objects.AggregateList.get_by_metadata(ctxt, key='ssd', value='no')) == 0
    got.name = 'rack2'
    got.save()
    assert objects.Aggregate.get_by_id(ctxt, agg.id).name == 'rack2'
    got.delete_host('h1')
    with pytest.raises(exception.AggregateHostNotFound):
        got.delete_host('h1')
    got.destroy()
    with pytest.raises(exception.AggregateNotFound):
        objects.Aggregate.get_by_id(ctxt, agg.id)
