"""URLMap: which mounted app a path reaches, and with which script name."""

import webob
import webob.dec

from nova.api.openstack import urlmap


def _app(name):
    @webob.dec.wsgify
    def app(req):
        return webob.Response(json_body={'app': name, 'script': req.script_name,
                                         'path': req.path_info,
                                         'root': req.environ.get('nova.root_script_name')})
    return app


def _get(mapper, path, script=''):
    req = webob.Request.blank(path)
    req.script_name = script
    res = req.get_response(mapper)
    return res.status_int, (res.json_body if res.status_int == 200 else res.location)


def _upstream_layout():
    return urlmap.URLMap({
        ('/', False): _app('root'),
        ('/v2.1', False): _app('doc'),
        ('/v2.1', True): _app('api'),
        ('/v2', False): _app('legacy-doc'),
        ('/v2', True): _app('legacy-api'),
    })


def test_bare_and_slash_prefix_reach_the_plain_app():
    mapper = _upstream_layout()
    for path in ('/v2.1', '/v2.1/'):
        status, body = _get(mapper, path, script='/compute')
        assert status == 200
        assert body['app'] == 'doc' and body['script'] == '/compute/v2.1'
        assert body['root'] == '/compute'
    assert _get(mapper, '/v2')[1]['app'] == 'legacy-doc'
    assert _get(mapper, '/v2/')[1]['app'] == 'legacy-doc'


def test_deeper_paths_reach_the_wildcard_app():
    mapper = _upstream_layout()
    status, body = _get(mapper, '/v2.1/servers/detail')
    assert status == 200 and body['app'] == 'api'
    assert body['script'] == '/v2.1' and body['path'] == '/servers/detail'
    assert _get(mapper, '/v2/flavors')[1]['app'] == 'legacy-api'


def test_other_paths_reach_the_root_app():
    mapper = _upstream_layout()
    assert _get(mapper, '/')[1]['app'] == 'root'
    # /v2.10 is not under /v2.1 nor /v2: a whole segment must match
    assert _get(mapper, '/v2.10/servers')[1]['app'] == 'root'


def test_plain_prefix_without_wildcard_redirects_its_bare_form():
    mapper = urlmap.URLMap({'/v2.1': _app('api')})
    req = webob.Request.blank('/v2.1?x=1')
    res = req.get_response(mapper)
    assert res.status_int == 302 and res.location == 'http://localhost/v2.1/?x=1'
    assert _get(mapper, '/v2.1/servers')[1]['path'] == '/servers'
    assert _get(mapper, '/elsewhere')[0] == 404


def test_factory_reads_wildcard_keys():
    class Loader(object):
        def get_app(self, name, global_conf=None):
            return _app(name)
    mapper = urlmap.urlmap_factory(Loader(), {}, **{
        '/': 'root', '/v2.1': 'doc', '/v2.1/+': 'api', 'use': 'ignored'})
    assert _get(mapper, '/v2.1')[1]['app'] == 'doc'
    assert _get(mapper, '/v2.1/x')[1]['app'] == 'api'
    assert _get(mapper, '/')[1]['app'] == 'root'
