"""Mount the API's apps under URL prefixes (paste composite ``urlmap_factory``).

Keys are path prefixes (``/``, ``/v2``, ``/v2.1``); the longest one matching
a whole path segment wins.  A request for a version prefix without its
trailing slash is redirected to it, as upstream does, so the version
document is always at ``/v2.1/``.
"""

import webob
import webob.dec
import webob.exc


def urlmap_factory(loader, global_conf, **local_conf):
    mapping = {}
    for key, app_name in local_conf.items():
        if not key.startswith('/'):
            continue
        prefix = key.rstrip('/') or '/'
        mapping[prefix] = loader.get_app(app_name, global_conf=global_conf)
    return URLMap(mapping)


class URLMap(object):

    def __init__(self, mapping):
        # Longest prefix first.
        self._apps = sorted(mapping.items(), key=lambda item: -len(item[0]))

    @webob.dec.wsgify
    def __call__(self, req):
        path = req.path_info or '/'
        for prefix, app in self._apps:
            if prefix == '/':
                req.environ.setdefault('nova.root_script_name', req.script_name)
                return app
            if path == prefix:
                location = req.host_url + req.script_name + prefix + '/'
                if req.query_string:
                    location += '?' + req.query_string
                return webob.exc.HTTPFound(location=location)
            if path.startswith(prefix + '/'):
                req.environ.setdefault('nova.root_script_name', req.script_name)
                req.script_name = req.script_name + prefix
                req.path_info = path[len(prefix):]
                return app
        return webob.exc.HTTPNotFound()
