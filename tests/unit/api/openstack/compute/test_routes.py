"""The route table: ordered by resource with literal paths before the ``{id}`` they
would match, every action a method of its controller, one shared controller per
factory, the server actions' keys declared once, removed APIs answering 410."""

import re

import pytest
import webob

from nova.api.openstack.compute import routes
from nova.api.openstack import wsgi

ROUTES = [(path, methods) for path, methods in routes.ROUTE_LIST
          if not isinstance(methods, str)]


def _resource(path):
    return path.strip('/').split('/')[0]


def test_paths_are_unique():
    paths = [path for path, _methods in routes.ROUTE_LIST]
    assert len(paths) == len(set(paths))


def test_the_table_is_ordered_by_resource():
    """(routes.py's rule: a resource's paths go at their place by first segment.)"""
    paths = [path for path, _methods in routes.ROUTE_LIST]
    misplaced = ['%s comes after %s' % (path, before)
                 for before, path in zip(paths, paths[1:])
                 if _resource(path) < _resource(before)]
    assert not misplaced, ('ROUTE_LIST is ordered by resource (first path segment, '
                           'alphabetically): %s' % '; '.join(misplaced))


def _matches(template, path):
    pattern = re.sub(r'\\{\w+\\}', '[^/]+', re.escape(template))
    return re.fullmatch(pattern, path) is not None


def test_a_literal_path_comes_before_the_template_that_would_match_it():
    """(For a method both serve: the router tries the routes in order.)"""
    for index, (path, methods) in enumerate(ROUTES):
        for earlier, earlier_methods in ROUTES[:index]:
            if '{' in earlier and set(methods) & set(earlier_methods):
                assert not _matches(earlier, path), '%s is shadowed by %s' % (path, earlier)


def test_the_shadow_check_sees_a_shadowed_path():
    assert _matches('/servers/{id}', '/servers/detail')
    assert not _matches('/servers/{id}', '/servers/detail/more')


@pytest.mark.parametrize('path, methods', ROUTES, ids=[path for path, _ in ROUTES])
def test_every_action_is_a_method_of_its_controller(path, methods):
    for method, (factory, action) in methods.items():
        assert method in ('GET', 'POST', 'PUT', 'DELETE', 'PATCH')
        controller = factory()
        assert factory() is controller  # one shared controller per factory
        if action == 'action':
            # POST .../action: the body's key picks one of the @wsgi.action methods.
            assert controller.wsgi_actions, path
            for attr in controller.wsgi_actions.values():
                assert callable(getattr(controller, attr)), '%s %s' % (path, attr)
        else:
            assert callable(getattr(controller, action)), '%s %s' % (method, path)


def test_redirects_point_at_a_served_path():
    served = {path for path, _methods in ROUTES}
    for path, target in routes.ROUTE_LIST:
        if isinstance(target, str):
            assert target in served


def test_server_actions_are_gathered_with_each_key_once():
    dispatcher = routes.server_action_controller()
    declared = [key for factory in routes.SERVER_ACTION_CONTROLLERS
                for key in factory.wsgi_actions]
    assert len(declared) == len(set(declared))
    assert set(dispatcher.wsgi_actions) == set(declared)
    assert {'reboot', 'pause', 'os-start', 'createBackup', 'evacuate'} <= set(declared)
    assert routes.server_action_controller() is dispatcher


def test_two_controllers_declaring_one_action_are_refused():
    class One(object):
        wsgi_actions = {'pause': 'pause'}

        def pause(self):
            pass
    with pytest.raises(ValueError):
        wsgi.ActionDispatcher([One(), One()])


def test_removed_apis_answer_gone():
    gone = routes._gone(('GET', 'index'), ('DELETE', 'delete'))
    assert set(gone) == {'GET', 'DELETE'}
    factory, action = gone['GET']
    with pytest.raises(webob.exc.HTTPGone):
        getattr(factory(), action)(None)
    assert dict(routes.ROUTE_LIST)['/os-cells'] == routes._gone(('GET', 'index'),
                                                                 ('POST', 'create'))
