"""Request ids: oslo.middleware's, also returned as ``x-compute-request-id``.

The compute API has always answered with ``x-compute-request-id``; newer
clients read ``x-openstack-request-id``.  Both carry the same ``req-<uuid>``.
"""

from oslo_middleware import request_id

HTTP_RESP_HEADER_REQUEST_ID = 'x-compute-request-id'


class ComputeReqIdMiddleware(request_id.RequestId):
    compat_headers = [HTTP_RESP_HEADER_REQUEST_ID]
