"""nova.api.openstack.common: paging, sorting, time filters, state conflicts and links."""

import datetime

import pytest
import webob
import webob.exc

import nova.conf
from nova.api.openstack import common
from nova import exception

CONF = nova.conf.CONF


@pytest.fixture
def max_limit():
    CONF.set_override('max_limit', 3, group='api')
    yield 3
    CONF.clear_override('max_limit', group='api')


def _req(query='', path='/v2.1/servers', base='http://api.example:8774',
         project_id=None):
    req = webob.Request.blank(path + (('?' + query) if query else ''), base_url=base)
    req.script_name = '/v2.1'
    req.path_info = path[len('/v2.1'):]
    if project_id:
        req.environ['wsgiorg.routing_args'] = ((), {'project_id': project_id})
    return req


def test_pagination_params_only_those_given(max_limit):
    assert common.get_pagination_params(_req()) == {}
    assert common.get_pagination_params(_req('limit=2&marker=m&page_size=5')) == {
        'limit': 2, 'marker': 'm', 'page_size': 5}
    assert common.get_limit_and_marker(_req()) == (3, None)
    assert common.get_limit_and_marker(_req('limit=10&marker=x')) == (3, 'x')
    assert common.get_limit_and_marker(_req('limit=0')) == (0, None)


@pytest.mark.parametrize('query,message', [
    ('limit=abc', 'limit param must be an integer'),
    ('limit=-1', 'limit param must be positive'),
    ('page_size=1.5', 'page_size param must be an integer'),
])
def test_pagination_refusals_are_400(query, message):
    with pytest.raises(webob.exc.HTTPBadRequest) as err:
        common.get_pagination_params(_req(query))
    assert err.value.explanation == message


def test_limited_offset_and_cap(max_limit):
    items = list(range(10))
    assert common.limited(items, _req()) == [0, 1, 2]
    assert common.limited(items, _req('offset=8')) == [8, 9]
    assert common.limited(items, _req('offset=1&limit=1')) == [1]
    # the last value of a repeated parameter wins
    assert common.limited(items, _req('limit=1&limit=2')) == [0, 1]
    for query in ('offset=x', 'limit=-2'):
        with pytest.raises(webob.exc.HTTPBadRequest):
            common.limited(items, _req(query))


def test_sort_params_defaults_and_repeats():
    assert common.get_sort_params(_req().GET) == (['created_at'], ['desc'])
    assert common.get_sort_params(_req('sort_key=name&sort_key=uuid&sort_dir=asc').GET) \
        == (['name', 'uuid'], ['asc'])
    # a given direction without a key keeps the default key, not the default direction
    assert common.get_sort_params(_req('sort_dir=asc').GET) == (['created_at'], ['asc'])
    assert common.get_sort_params(_req().GET, default_key=None) == ([], [])


def test_parse_date_time_and_the_changes_window():
    parsed = common.parse_date_time('2026-01-01T10:00:00+02:00', 'changes-since')
    assert parsed == datetime.datetime(2026, 1, 1, 8, 0) and parsed.tzinfo is None
    with pytest.raises(webob.exc.HTTPBadRequest) as err:
        common.parse_date_time('yesterday', 'changes-since')
    assert "Invalid input for field/attribute changes-since" in err.value.explanation
    early, late = datetime.datetime(2026, 1, 1), datetime.datetime(2026, 1, 2)
    common.check_changes_window(early, late)
    common.check_changes_window(late, None)
    with pytest.raises(webob.exc.HTTPBadRequest):
        common.check_changes_window(late, early)


def test_invalid_state_conflict_messages():
    exc = exception.InstanceInvalidState(attr='vm_state', state='building',
                                         method='pause', instance_uuid='u1')
    with pytest.raises(webob.exc.HTTPConflict) as err:
        common.raise_http_conflict_for_instance_invalid_state(exc, 'pause', 'u1')
    assert err.value.explanation == \
        "Cannot 'pause' instance u1 while it is in vm_state building"
    bare = exception.InstanceInvalidState(attr=None, state=None, method='pause',
                                          instance_uuid='u1')
    with pytest.raises(webob.exc.HTTPConflict) as err:
        common.raise_http_conflict_for_instance_invalid_state(bare, 'pause', 'u1')
    assert err.value.explanation == "Instance u1 is in an invalid state for 'pause'"


def test_ids_from_hrefs_and_link_prefixes():
    assert common.get_id_from_href('http://h/v2.1/flavors/42') == '42'
    assert common.get_id_from_href('http://h/v2.1/flavors/42/') == '42'
    assert common.get_id_from_href('42') == '42'
    assert common.update_link_prefix('http://a:8774/v2.1/servers', None) == \
        'http://a:8774/v2.1/servers'
    assert common.update_link_prefix('http://a:8774/v2.1/servers',
                                     'https://cloud.example/compute/') == \
        'https://cloud.example/compute/v2.1/servers'


def test_links_with_and_without_a_project_in_the_url():
    view = common.ViewBuilder()
    view._collection_name = 'servers'
    links = view._get_links(_req(), 'abc')
    assert links == [
        {'rel': 'self', 'href': 'http://api.example:8774/v2.1/servers/abc'},
        {'rel': 'bookmark', 'href': 'http://api.example:8774/servers/abc'}]
    req = _req(path='/v2.1/p1/servers', project_id='p1')
    assert view._get_bookmark_link(req, 'abc') == 'http://api.example:8774/p1/servers/abc'
    assert view._get_href_link(req, 'abc') == 'http://api.example:8774/v2.1/p1/servers/abc'


def test_compute_link_prefix_rewrites_links():
    CONF.set_override('compute_link_prefix', 'https://cloud.example/compute', group='api')
    try:
        view = common.ViewBuilder()
        assert view._get_href_link(_req(), 'abc', 'flavors') == \
            'https://cloud.example/compute/v2.1/flavors/abc'
        assert common.url_base(_req()) == 'https://cloud.example/compute/v2.1'
    finally:
        CONF.clear_override('compute_link_prefix', group='api')


def test_next_link_keeps_the_query_and_replaces_the_marker():
    view = common.ViewBuilder()
    req = _req('limit=2&marker=old&name=vm', path='/v2.1/p1/servers/detail', project_id='p1')
    assert view._get_next_link(req, 'new', 'servers') == (
        'http://api.example:8774/v2.1/p1/servers/detail?limit=2&name=vm&marker=new')


def test_collection_links_only_for_a_full_page(max_limit):
    view = common.ViewBuilder()
    view._collection_name = 'servers'
    items = [{'uuid': 'a'}, {'uuid': 'b'}]
    assert view._get_collection_links(_req('limit=3'), items) == []
    (link,) = view._get_collection_links(_req('limit=2'), items)
    assert link['rel'] == 'next' and link['href'].endswith('marker=b')
    # no limit given: a page of [api] max_limit items is full
    full = [{'uuid': str(i)} for i in range(3)]
    assert view._get_collection_links(_req(), full)[0]['href'].endswith('marker=2')
    # items without the id key fall back to 'id'
    (link,) = view._get_collection_links(_req('limit=1'), [{'id': 7}], id_key='name')
    assert link['href'].endswith('marker=7')
