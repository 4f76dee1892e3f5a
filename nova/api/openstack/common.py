"""Helpers shared by compute API controllers: paging, sorting, links, state errors."""

import re
import urllib.parse

from oslo_utils import timeutils
import webob.exc

import nova.conf
from nova.compute import api as compute_api
from nova import exception

CONF = nova.conf.CONF

# Upstream exposes the v2.1 API under this name in links.
_VERSION_PREFIX_RE = re.compile(r'/v2(\.1)?(/|$)')


def _positive_int(req, name):
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation='%s param must be an integer' % name)
    if number < 0:
        raise webob.exc.HTTPBadRequest(explanation='%s param must be positive' % name)
    return number


def get_pagination_params(req):
    """{'limit': int, 'marker': str, 'page_size': int} from the query, only those present."""
    params = {}
    limit = _positive_int(req, 'limit')
    if limit is not None:
        params['limit'] = limit
    page_size = _positive_int(req, 'page_size')
    if page_size is not None:
        params['page_size'] = page_size
    if 'marker' in req.GET:
        params['marker'] = req.GET['marker']
    return params


def get_limit_and_marker(req):
    """(limit, marker): limit capped at ``[api] max_limit``; 400 on a bad limit."""
    params = get_pagination_params(req)
    limit = params.get('limit', CONF.api.max_limit)
    limit = min(CONF.api.max_limit, limit)
    return limit, params.get('marker')


def limited(items, req):
    """``offset``/``limit`` paging of a list (limit capped at ``[api] max_limit``); 400 when
    either is not a non-negative integer."""
    def _number(name, default):
        values = req.GET.getall(name)
        if not values:
            return default
        try:
            number = int(values[-1])
        except ValueError:
            raise webob.exc.HTTPBadRequest(explanation='%s param must be an integer' % name)
        if number < 0:
            raise webob.exc.HTTPBadRequest(explanation='%s param must be positive' % name)
        return number
    offset = _number('offset', 0)
    limit = min(_number('limit', CONF.api.max_limit), CONF.api.max_limit)
    return items[offset:offset + limit]


def get_sort_params(input_params, default_key='created_at', default_dir='desc'):
    """Lists of sort keys and directions from a multi-dict of query parameters."""
    params = input_params.copy()
    sort_keys, sort_dirs = [], []
    while 'sort_key' in params:
        sort_keys.append(params.pop('sort_key').strip())
    while 'sort_dir' in params:
        sort_dirs.append(params.pop('sort_dir').strip())
    if not sort_keys and default_key:
        sort_keys.append(default_key)
        if not sort_dirs and default_dir:
            sort_dirs.append(default_dir)
    return sort_keys, sort_dirs


def parse_date_time(value, name):
    """A ``changes-since``-style query value as a naive UTC datetime; 400 if malformed."""
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation=(
            "Invalid input for field/attribute %s. Value: %s. %r is not a "
            "'date-time'" % (name, value, value)))


def check_changes_window(since, before):
    """400 when both bounds are given and ``changes-since`` comes after ``changes-before``."""
    if since is not None and before is not None and since > before:
        raise webob.exc.HTTPBadRequest(explanation=(
            'The value of changes-since must be less than or equal to changes-before.'))


def get_instance(context, server_id, expected_attrs=None):
    """The server (any state, build requests included) or upstream's 404."""
    try:
        return compute_api.get().get(context, server_id, expected_attrs=expected_attrs)
    except exception.InstanceNotFound as error:
        raise webob.exc.HTTPNotFound(explanation=error.format_message())


def raise_http_conflict_for_instance_invalid_state(exc, action, server_id):
    """An InstanceInvalidState as upstream's 409 message."""
    attr = exc.kwargs.get('attr')
    state = exc.kwargs.get('state')
    if attr is not None and state is not None:
        msg = ("Cannot '%(action)s' instance %(server_id)s while it is in "
               "%(attr)s %(state)s" % {'action': action, 'attr': attr,
                                       'state': state, 'server_id': server_id})
    else:
        msg = ("Instance %(server_id)s is in an invalid state for '%(action)s'"
               % {'action': action, 'server_id': server_id})
    raise webob.exc.HTTPConflict(explanation=msg)


def get_id_from_href(href):
    """The last path segment of ``href`` (or ``href`` itself if it is a bare id)."""
    path = urllib.parse.urlsplit(href).path
    return path.rstrip('/').rsplit('/', 1)[-1] if '/' in path else href


def update_link_prefix(orig_url, prefix):
    """Swap scheme, host and leading path of ``orig_url`` for those of ``prefix``."""
    if not prefix:
        return orig_url
    url_parts = list(urllib.parse.urlsplit(orig_url))
    prefix_parts = list(urllib.parse.urlsplit(prefix))
    url_parts[0:2] = prefix_parts[0:2]
    url_parts[2] = prefix_parts[2].rstrip('/') + url_parts[2]
    return urllib.parse.urlunsplit(url_parts).rstrip('/') \
        if url_parts[2] != '/' else urllib.parse.urlunsplit(url_parts)


def url_base(req):
    """``http://host:port[/script]`` of the request, honouring compute_link_prefix."""
    base = req.application_url
    return update_link_prefix(base, CONF.api.compute_link_prefix)


class ViewBuilder(object):
    """Base of view builders: builds the ``self``/``bookmark`` links upstream shows."""

    _collection_name = None

    def _update_compute_link_prefix(self, url):
        return update_link_prefix(url, CONF.api.compute_link_prefix)

    def _update_glance_link_prefix(self, url):
        return update_link_prefix(url, CONF.api.glance_link_prefix)

    def _versioned_base(self, req):
        """``.../v2.1`` (with the project id if the client used one in its URL)."""
        base = self._update_compute_link_prefix(req.application_url)
        project_id = self._url_project_id(req)
        if project_id:
            return '%s/%s' % (base, project_id)
        return base

    def _bookmark_base(self, req):
        """The versioned base without the version segment."""
        base = self._update_compute_link_prefix(req.application_url)
        parts = urllib.parse.urlsplit(base)
        path = _VERSION_PREFIX_RE.sub('/', parts.path, count=1).rstrip('/')
        project_id = self._url_project_id(req)
        if project_id:
            path = '%s/%s' % (path, project_id)
        return urllib.parse.urlunsplit((parts[0], parts[1], path, '', ''))

    @staticmethod
    def _url_project_id(req):
        args = req.environ.get('wsgiorg.routing_args', ((), {}))[1] or {}
        return args.get('project_id')

    def _get_links(self, req, identifier, collection_name=None):
        collection = collection_name or self._collection_name
        return [
            {'rel': 'self',
             'href': '%s/%s/%s' % (self._versioned_base(req), collection, identifier)},
            {'rel': 'bookmark',
             'href': '%s/%s/%s' % (self._bookmark_base(req), collection, identifier)},
        ]

    def _get_href_link(self, req, identifier, collection_name=None):
        collection = collection_name or self._collection_name
        return '%s/%s/%s' % (self._versioned_base(req), collection, identifier)

    def _get_bookmark_link(self, req, identifier, collection_name=None):
        collection = collection_name or self._collection_name
        return '%s/%s/%s' % (self._bookmark_base(req), collection, identifier)

    def _get_next_link(self, req, identifier, collection_name=None):
        """The ``next`` link of a paged list: same query with marker=identifier."""
        collection = collection_name or self._collection_name
        params = [(k, v) for k, v in req.GET.items() if k != 'marker']
        params.append(('marker', str(identifier)))
        path = req.path_info.strip('/')
        project_id = self._url_project_id(req)
        if project_id and path.startswith(project_id + '/'):
            path = path[len(project_id) + 1:]
        url = '%s/%s' % (self._versioned_base(req), path or collection)
        return '%s?%s' % (url, urllib.parse.urlencode(params))

    def _get_collection_links(self, req, items, collection_name=None, id_key='uuid'):
        """[{'rel': 'next', 'href': ...}] when the page is full, else []."""
        limit = req.GET.get('limit')
        try:
            limit = min(int(limit), CONF.api.max_limit) if limit is not None \
                else CONF.api.max_limit
        except ValueError:
            limit = CONF.api.max_limit
        if items and limit and len(items) == limit:
            last = items[-1]
            identifier = last.get(id_key) if isinstance(last, dict) else getattr(last, id_key)
            if identifier is None and isinstance(last, dict):
                identifier = last.get('id')
            return [{'rel': 'next',
                     'href': self._get_next_link(req, identifier, collection_name)}]
        return []
