"""Fixtures for API tests: the whole paste app (noauth2) over fresh SQLite databases.

A test that uses the seeded cloud (``seeded_ids``) gets its databases as fresh
copies of files seeded once per session, instead of seeding them again itself.
"""

import collections
import datetime
import json

import pytest
from oslo_utils import uuidutils
import webob

import nova.conf
from nova.api.openstack import api_version_request
from nova.compute import vm_states
from nova import context as nova_context
from nova import objects
from tests.fixtures import sqlite_dbs
from tests.unit.api import seeded
from tests.unit.objects.conftest import _template_dbs  # noqa: F401

CONF = nova.conf.CONF


@pytest.fixture(scope='session')
def paste_app():
    from nova import config
    config.silence_library_warnings()
    from nova import rpc
    rpc.register_opts(CONF)
    if getattr(CONF, '_args', None) is None:
        CONF([], project='nova', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    from nova.wsgi import osapi_compute
    return osapi_compute.init_application(configure=False)


class Client(object):
    """Sends webob requests through the paste app, as user ``user`` of ``project``."""

    def __init__(self, app, token='admin:admin', version=None):
        self.app = app
        self.token = token
        self.version = version

    def request(self, method, path, body=None, version=None, token=None, headers=None,
                raw=None):
        req = webob.Request.blank(path if path.startswith('/v2') or path == '/'
                                  else '/v2.1' + path, method=method)
        token = token if token is not None else self.token
        if token:
            req.headers['X-Auth-Token'] = token
        version = version or self.version
        if version:
            req.headers['OpenStack-API-Version'] = 'compute %s' % version
        for key, value in (headers or {}).items():
            req.headers[key] = value
        if raw is not None:
            req.body = raw
            req.content_type = 'application/json'
        elif body is not None:
            req.body = json.dumps(body).encode()
            req.content_type = 'application/json'
        response = req.get_response(self.app)
        response.json_body_or_none = (json.loads(response.body)
                                      if response.body and
                                      response.content_type == 'application/json' else None)
        return response

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def post(self, path, body=None, **kw):
        return self.request('POST', path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request('PUT', path, body, **kw)

    def delete(self, path, **kw):
        return self.request('DELETE', path, **kw)


@pytest.fixture
def max_version(monkeypatch):
    """Let tests use microversions beyond what the servers API has reached."""
    monkeypatch.setattr(api_version_request, 'MAX_API_VERSION', '2.104')


@pytest.fixture
def admin(paste_app, dbs):  # noqa: F811
    return Client(paste_app, 'admin:admin')


@pytest.fixture
def user(paste_app, dbs):  # noqa: F811
    return Client(paste_app, 'demo:demoproject')


@pytest.fixture(scope='session')
def _seeded_cloud(tmp_path_factory, _template_dbs, paste_app):  # noqa: F811
    """The seeded cloud in template files: (api path, main path), the uuid of its
    cell1 mapping and the ids of what it holds."""
    root = tmp_path_factory.mktemp('seeded-dbs')
    with sqlite_dbs.fresh_copies(_template_dbs, root) as paths:
        cell = _map_cell1(paths[1])
        monkeypatch = pytest.MonkeyPatch()
        try:
            seeded.start(monkeypatch)
            ids = seeded.populate(cell)
        finally:
            seeded.stop()
            monkeypatch.undo()
        nova_context.reset_cell_cache()
    return paths, cell.uuid, ids


@pytest.fixture
def dbs(request, tmp_path, _template_dbs):  # noqa: F811
    """Point [api_database] and [database] at fresh copies of the migrated files,
    or of the seeded cloud's for a test that uses it: then its cell1 mapping names
    the copy and its nova-compute has just reported."""
    seeded_cloud = None
    templates = _template_dbs
    if 'seeded_ids' in request.fixturenames:
        seeded_cloud = request.getfixturevalue('_seeded_cloud')
        templates = seeded_cloud[0]
    with sqlite_dbs.fresh_copies(templates, tmp_path) as paths:
        if seeded_cloud is not None:
            seeded.adopt(paths, seeded_cloud[1])
        yield paths


def _map_cell1(main_path):
    from nova import rpc
    rpc.register_opts(CONF)
    ctxt = nova_context.get_admin_context()
    nova_context.reset_cell_cache()
    cell = objects.CellMapping(context=ctxt, uuid=uuidutils.generate_uuid(), name='cell1',
                               database_connection='sqlite:///%s' % main_path,
                               transport_url='none:///')
    cell.create()
    return cell


@pytest.fixture
def cell1(request, dbs):
    """A cell mapping whose database is the per-test main database."""
    nova_context.reset_cell_cache()
    if 'seeded_ids' in request.fixturenames:
        cell = objects.CellMapping.get_by_uuid(nova_context.get_admin_context(),
                                               request.getfixturevalue('_seeded_cloud')[1])
    else:
        cell = _map_cell1(dbs[1])
    yield cell
    nova_context.reset_cell_cache()


@pytest.fixture
def active_server(paste_app, cell1, fake_rpc):  # noqa: F811
    """An ACTIVE server 's1' of demo/demoproject on compute host1, stored in cell1;
    compute RPC goes to the fake transport, where nobody consumes it."""
    ctxt = nova_context.get_admin_context()
    objects.Service(ctxt, host='host1', binary='nova-compute', topic='compute',
                    report_count=1).create()
    instance = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), user_id='demo',
                                project_id='demoproject', vm_state=vm_states.ACTIVE,
                                task_state=None, power_state=1, host='host1', node='host1',
                                launched_at=datetime.datetime(2026, 1, 1), locked=False,
                                system_metadata={}, metadata={}, display_name='s1')
    with nova_context.target_cell(ctxt, cell1) as cctxt:
        instance._context = cctxt
        instance.create()
    objects.InstanceMapping(ctxt, instance_uuid=instance.uuid, project_id='demoproject',
                            user_id='demo', cell_mapping=cell1,
                            queued_for_delete=False).create()
    return instance


@pytest.fixture
def seeded_ids(paste_app, cell1, monkeypatch, _seeded_cloud):
    """The populated cloud of seeded.py for one test; yields the ids of what it holds."""
    seeded.start(monkeypatch)
    yield collections.OrderedDict(_seeded_cloud[2])
    seeded.stop()


def sample(name):
    """A response sample shipped in tests/data/api_samples."""
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[2] / 'data' / 'api_samples'
    return json.loads((root / name).read_text())
