"""Undo what a failed ``POST /servers`` wrote to the API database.

A create writes a build request, a request spec and an instance mapping per
server, then rechecks quota and casts to conductor. When anything after the
write fails, the request answers an error and its records must go: left
behind they would show a server in BUILD that no conductor will ever build.

The database that just failed may still be failing, so what cannot be
removed at once is retried in the background for ``RETRY_FOR`` seconds.
Whatever still survives that is ended by conductor's sweep of build
requests older than ``[DEFAULT] instance_build_timeout``.
"""

import threading
import time

from oslo_log import log as logging

from nova import exception
from nova import objects

LOG = logging.getLogger(__name__)

RETRY_FOR = 60.0
RETRY_EVERY = 2.0


def _remove(context, instance_uuid, build_request=None, spec=None):
    """Remove one server's records; NotFound means already gone."""
    if build_request is None:
        try:
            build_request = objects.BuildRequest.get_by_instance_uuid(context, instance_uuid)
        except exception.BuildRequestNotFound:
            pass
    if spec is None:
        try:
            spec = objects.RequestSpec.get_by_instance_uuid(context, instance_uuid)
        except exception.RequestSpecNotFound:
            pass
    for record in (build_request, spec):
        if record is None:
            continue
        try:
            record.destroy()
        except exception.NotFound:
            pass
    try:
        objects.InstanceMapping.get_by_instance_uuid(context, instance_uuid).destroy()
    except exception.InstanceMappingNotFound:
        pass


def _remove_all(context, pending):
    """Try each server in ``pending`` (uuid -> (build request, spec)); drop the done."""
    for instance_uuid, (build_request, spec) in list(pending.items()):
        try:
            _remove(context, instance_uuid, build_request, spec)
        except Exception as exc:
            LOG.warning('Could not yet remove the records of failed create %s: %s',
                        instance_uuid, exc)
            # The objects may be half-destroyed: read them afresh next time.
            pending[instance_uuid] = (None, None)
        else:
            del pending[instance_uuid]


def _retry(context, pending, retry_for, retry_every, sleep):
    deadline = time.monotonic() + retry_for
    while pending and time.monotonic() < deadline:
        sleep(retry_every)
        _remove_all(context, pending)
    if pending:
        LOG.error('Records of failed creates %s are still there; conductor ends them '
                  'once instance_build_timeout passes', ', '.join(sorted(pending)))


def undo(context, build_requests, request_specs, retry_for=RETRY_FOR,
         retry_every=RETRY_EVERY, sleep=time.sleep):
    """Remove the records of a failed create; return the thread retrying the rest, if any."""
    pending = {br.instance_uuid: (br, spec)
               for br, spec in zip(build_requests, request_specs)}
    _remove_all(context, pending)
    if not pending:
        return None
    thread = threading.Thread(target=_retry, name='create-cleanup', daemon=True,
                              args=(context, pending, retry_for, retry_every, sleep))
    thread.start()
    return thread
