"""RequestLog: one line per request, logged with that request's own context."""

import logging

import webob
import webob.dec

from nova.api.openstack import requestlog
from nova import context as nova_context


@webob.dec.wsgify
def _ok(req):
    return webob.Response(body=b'{}', content_type='application/json')


def _records(caplog, environ):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger='nova.api.openstack.requestlog'):
        req = webob.Request.blank('/v2.1', environ=environ)
        assert req.get_response(requestlog.RequestLog(_ok)).status_int == 200
    return [r for r in caplog.records if r.name == 'nova.api.openstack.requestlog']


def test_unauthenticated_request_logs_no_leftover_user(caplog):
    # Another request of this thread left its context behind.
    nova_context.RequestContext(user_id='someone', project_id='p', request_id='req-old')
    records = _records(caplog, {'openstack.request_id': 'req-new'})
    assert len(records) == 1
    context = records[0].context
    assert context.request_id == 'req-new' and context.user_id is None
    assert '"GET /v2.1" status: 200' in records[0].getMessage()


def test_authenticated_request_logs_its_context(caplog):
    mine = nova_context.RequestContext(user_id='u', project_id='p', overwrite=False)
    records = _records(caplog, {'nova.context': mine})
    assert records[0].context is mine
