"""What the compute API serves, read from ROUTE_LIST, the controllers and nova.policies.

One ``Operation`` per method + path (+ action body key for ``POST
.../action``): the controller method, the microversions it answers, the
body and query schemas it validates per microversion, and the policy rules
documented for it.  The route table in the docs is generated from this, and
the API fuzz and policy tests walk it, so a route someone adds is covered
without touching them.
"""

import collections
import re

from nova.api.openstack import api_version_request as api_version
from nova import policies

_PLACEHOLDER = re.compile(r'\{[^}]*\}')

Operation = collections.namedtuple('Operation', [
    'method',          # 'GET', 'POST', ...
    'path',            # as in ROUTE_LIST, e.g. '/servers/{id}/action'
    'action',          # the body key of a POST .../action, else None
    'controller',      # the controller instance
    'handler',         # the bound controller method
    'min_version',     # lowest microversion served (string)
    'max_version',     # highest microversion served (string)
    'body_schemas',    # [(schema, min_version or None, max_version or None)]
    'query_schemas',   # same shape
    'rules',           # policy rule names documented for this operation
])


# Paths upstream's policy documents spell differently from the route itself.
_DOCUMENTED_AS = {'/os-hypervisors/details': '/os-hypervisors/detail'}


# Routes that are another name of a documented resource (upstream's alias).
_ROUTE_ALIASES = {'/os-volumes_boot': '/servers'}


def _documented_path(path):
    for alias, documented in _ROUTE_ALIASES.items():
        if path == alias or path.startswith(alias + '/'):
            return documented + path[len(alias):]
    return path


def _normalise(path):
    """Paths compared without placeholder names or a trailing slash."""
    path = _DOCUMENTED_AS.get(path, path)
    return _PLACEHOLDER.sub('{}', path).rstrip('/') or '/'


def policy_index():
    """``{(METHOD, normalised path, action or None): [rule names]}`` from nova.policies."""
    index = collections.defaultdict(list)
    for rule in policies.list_rules():
        for op in getattr(rule, 'operations', None) or []:
            path, _, action = op['path'].partition(' (')
            key = (op['method'], _normalise(path), action.rstrip(')') or None)
            if rule.name not in index[key]:
                index[key].append(rule.name)
    return index


def _versions(handler):
    low, high = getattr(handler, 'wsgi_versions', (None, None))
    return (low or api_version.MIN_API_VERSION, high or api_version.MAX_API_VERSION)


def _operation(method, path, action, controller, handler, index):
    low, high = _versions(handler)
    rules = list(index.get((method, _normalise(_documented_path(path)), action), []))
    if action is None and method == 'POST' and path.endswith('/action'):
        rules = []
    return Operation(method, path, action, controller, handler, low, high,
                     list(getattr(handler, 'request_body_schemas', [])),
                     list(getattr(handler, 'query_schemas', [])), rules)


def operations(route_list=None):
    """Every operation the router serves, in ROUTE_LIST order (actions sorted by key)."""
    if route_list is None:
        from nova.api.openstack.compute import routes
        route_list = routes.ROUTE_LIST
    index = policy_index()
    found = []
    for path, methods in route_list:
        if isinstance(methods, str):
            continue  # a redirect
        for method, (factory, name) in methods.items():
            controller = factory()
            if name == 'action':
                for key, attr in sorted(controller.wsgi_actions.items()):
                    found.append(_operation(method, path, key, controller,
                                            getattr(controller, attr), index))
            else:
                found.append(_operation(method, path, None, controller,
                                        getattr(controller, name), index))
    return found


def schemas_for(entries, version):
    """The schemas of ``entries`` that apply at ``version`` (an APIVersionRequest)."""
    return [schema for schema, low, high in entries if version.matches(low, high)]
