"""Find the instance a metadata request comes from: by UUID or by fixed IP.

With ``[api] local_metadata_per_cell`` the service reads only its own cell
database ([database] connection); otherwise instance mappings in the API
database name the cell.  By address there is no index: the network info
caches of the cells' live instances are searched (answers are cached by
the handler for ``[api] metadata_cache_expiration`` seconds).
"""

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


def get_by_address(address):
    """The live instance one of whose fixed IPs is ``address``, or None."""
    ctxt = nova_context.get_admin_context()
    for cctxt in _cell_contexts(ctxt):
        instances = objects.InstanceList.get_by_filters(
            cctxt, {'deleted': False}, expected_attrs=['info_cache'])
        for instance in instances:
            cache = instance.info_cache
            network_info = cache.network_info if cache is not None else None
            if address in netdata.fixed_ips(network_info):
                return objects.Instance.get_by_uuid(cctxt, instance.uuid,
                                                    expected_attrs=EXPECTED_ATTRS)
    return None
