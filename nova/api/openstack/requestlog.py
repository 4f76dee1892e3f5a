"""One INFO line per API request (method, path, status, size, microversion, time)."""

import collections
import threading
import time

from oslo_log import log as logging
import webob.dec

from nova.api import wsgi_base
from nova import context as nova_context

LOG = logging.getLogger(__name__)

_COUNTS = collections.Counter()
_COUNTS_LOCK = threading.Lock()


def error_counts():
    """{'4xx': n, '5xx': n} since the process started (for tests and status lines)."""
    with _COUNTS_LOCK:
        return dict(_COUNTS)


class RequestLog(wsgi_base.Middleware):
    """Logs each request; 4xx/5xx answers also bump and log a running error count."""

    @webob.dec.wsgify
    def __call__(self, req):
        start = time.monotonic()
        try:
            response = req.get_response(self.application)
        except Exception:
            self._log(req, 500, None, start)
            raise
        self._log(req, response.status_int, response.content_length, start)
        return response

    @staticmethod
    def _context(req):
        """The request's own context; for an unauthenticated one (the version documents) an
        anonymous one, so the line does not show a user and request id left from another."""
        context = req.environ.get('nova.context')
        if context is None:
            context = nova_context.RequestContext(
                request_id=req.environ.get('openstack.request_id'), overwrite=False)
        return context

    @classmethod
    def _log(cls, req, status, length, start):
        elapsed = time.monotonic() - start
        version = req.environ.get('nova.api_version_request')
        context = cls._context(req)
        LOG.info('%(ip)s "%(method)s %(uri)s" status: %(status)s len: %(len)s '
                 'microversion: %(mv)s time: %(time).6f',
                 {'ip': req.remote_addr, 'method': req.method,
                  'uri': req.path_qs if hasattr(req, 'path_qs') else req.path,
                  'status': status, 'len': length,
                  'mv': version.get_string() if version and not version.is_null() else '-',
                  'time': elapsed}, context=context)
        if status >= 400:
            bucket = '5xx' if status >= 500 else '4xx'
            with _COUNTS_LOCK:
                _COUNTS[bucket] += 1
                total = _COUNTS[bucket]
            LOG.info('API %(bucket)s answers so far: %(total)d (last: %(status)s %(method)s '
                     '%(path)s)', {'bucket': bucket, 'total': total, 'status': status,
                                  'method': req.method, 'path': req.path},
                     context=context)
