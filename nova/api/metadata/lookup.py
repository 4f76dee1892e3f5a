"""Find the instance a metadata request comes from: by UUID or by fixed IP.

With ``[api] local_metadata_per_cell`` the service reads only its own cell
database ([database] connection); otherwise instance mappings in the API
database name the cell.  By address there is no database index: ``AddressIndex``
maps fixed IPs to instances from one scan of the cells' network info
caches, reused until it is stale or misses.
"""

import threading
import time

from oslo_log import log as logging

from nova.api.metadata import netdata
import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

EXPECTED_ATTRS = ['metadata', 'system_metadata', 'info_cache', 'security_groups',
                  'flavor', 'keypairs']


def _live(instance):
    return instance is not None and not instance.deleted


def get_by_uuid(instance_uuid):
    """The live instance ``instance_uuid``, or None."""
    ctxt = nova_context.get_admin_context()
    try:
        if CONF.api.local_metadata_per_cell:
            instance = objects.Instance.get_by_uuid(ctxt, instance_uuid,
                                                    expected_attrs=EXPECTED_ATTRS)
        else:
            mapping = objects.InstanceMapping.get_by_instance_uuid(ctxt, instance_uuid)
            if mapping.cell_mapping is None:
                return None  # still being scheduled: nothing to serve yet
            with nova_context.target_cell(ctxt, mapping.cell_mapping) as cctxt:
                instance = objects.Instance.get_by_uuid(cctxt, instance_uuid,
                                                        expected_attrs=EXPECTED_ATTRS)
    except (exception.InstanceNotFound, exception.InstanceMappingNotFound):
        return None
    return instance if _live(instance) else None


def _cell_contexts(ctxt):
    if CONF.api.local_metadata_per_cell:
        yield ctxt
        return
    for cell in objects.CellMappingList.get_all(ctxt):
        if cell.is_cell0():
            continue  # instances there never got a host, hence no address
        with nova_context.target_cell(ctxt, cell) as cctxt:
            yield cctxt


def _scan_addresses():
    """{fixed IP: (cell context, instance uuid)} over every live instance."""
    ctxt = nova_context.get_admin_context()
    found = {}
    for cctxt in _cell_contexts(ctxt):
        instances = objects.InstanceList.get_by_filters(
            cctxt, {'deleted': False}, expected_attrs=['info_cache'])
        for instance in instances:
            cache = instance.info_cache
            network_info = cache.network_info if cache is not None else None
            for address in netdata.fixed_ips(network_info):
                found.setdefault(address, (cctxt, instance.uuid))
    return found


def _has_address(instance, address):
    cache = instance.info_cache
    return address in netdata.fixed_ips(cache.network_info if cache is not None else None)


class AddressIndex(object):
    """Fixed IP -> instance, from one scan of the cells reused for a while.

    A scan reads every live instance's network info, so it is done at most
    once per ``min_rescan`` seconds (an unknown address cannot make every
    request rescan) and redone when older than ``max_age`` seconds.  A hit
    is always re-read and re-checked, so a moved address is never served
    to the wrong guest.
    """

    def __init__(self, max_age=60.0, min_rescan=1.0):
        self.max_age = max_age
        self.min_rescan = min_rescan
        self._lock = threading.Lock()
        self._index = {}
        self._scanned_at = None

    def _rescan(self, force):
        now = time.monotonic()
        age = None if self._scanned_at is None else now - self._scanned_at
        if age is None or age > self.max_age or (force and age > self.min_rescan):
            self._index = _scan_addresses()
            self._scanned_at = time.monotonic()
            return True
        return False

    def get(self, address):
        """The live instance whose fixed IP is ``address``, or None."""
        with self._lock:
            self._rescan(force=False)
            for attempt in range(2):
                entry = self._index.get(address)
                if entry is not None:
                    cctxt, instance_uuid = entry
                    try:
                        instance = objects.Instance.get_by_uuid(
                            cctxt, instance_uuid, expected_attrs=EXPECTED_ATTRS)
                    except exception.InstanceNotFound:
                        instance = None
                    if _live(instance) and _has_address(instance, address):
                        return instance
                if attempt or not self._rescan(force=True):
                    return None
            return None

