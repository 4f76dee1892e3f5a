"""Mount the API's apps under URL prefixes (paste composite ``urlmap_factory``).

Keys are path prefixes (``/``, ``/v2``, ``/v2.1``); the longest one matching
a whole path segment wins.  A key ending in ``/+`` (``/v2.1/+``) takes only
paths with something after the prefix's slash, so the plain key of the same
prefix keeps ``/v2.1`` and ``/v2.1/``: upstream's layout, where those two
answer the version document without authentication and everything deeper
goes through the authenticated API.  A plain prefix without such a sibling
redirects its bare form to the trailing-slash one.
"""

import webob
import webob.dec
import webob.exc


def urlmap_factory(loader, global_conf, **local_conf):
    mapping = {}
    for key, app_name in local_conf.items():
        if not key.startswith('/'):
            continue
        deeper = key.endswith('/+')
        prefix = (key[:-2] if deeper else key).rstrip('/') or '/'
        mapping[(prefix, deeper)] = loader.get_app(app_name, global_conf=global_conf)
    return URLMap(mapping)


class URLMap(object):
    """``mapping``: {(prefix, deeper_only): app}; a bare prefix key means (prefix, False)."""

    def __init__(self, mapping):
        apps = {}
        for key, app in mapping.items():
            prefix, deeper = key if isinstance(key, tuple) else (key, False)
            apps[(prefix, deeper)] = app
        self._deeper = {prefix for prefix, deeper in apps if deeper}
        # Longest prefix first; for one prefix, its deeper-only entry first.
        self._apps = sorted(apps.items(), key=lambda item: (-len(item[0][0]), not item[0][1]))

    @staticmethod
    def _mount(req, prefix, app):
        path = req.path_info or '/'
        req.environ.setdefault('nova.root_script_name', req.script_name)
        req.script_name = req.script_name + prefix
        req.path_info = path[len(prefix):]
        return app

    @webob.dec.wsgify
    def __call__(self, req):
        path = req.path_info or '/'
        for (prefix, deeper), app in self._apps:
            if prefix == '/':
                req.environ.setdefault('nova.root_script_name', req.script_name)
                return app
            if deeper:
                if path.startswith(prefix + '/') and len(path) > len(prefix) + 1:
                    return self._mount(req, prefix, app)
                continue
            if path == prefix and prefix not in self._deeper:
                location = req.host_url + req.script_name + prefix + '/'
                if req.query_string:
                    location += '?' + req.query_string
                return webob.exc.HTTPFound(location=location)
            if path == prefix or path.startswith(prefix + '/'):
                return self._mount(req, prefix, app)
        return webob.exc.HTTPNotFound()
