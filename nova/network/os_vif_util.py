"""Nova's VIF dicts (``nova.network.model``) as os-vif objects, for plugging.

Only Open vSwitch ports (``binding:vif_type = ovs``, what ML2/OVN and
ML2/OVS bind) are converted; os-vif's ``ovs`` plugin then creates the port
on the integration bridge (``create_port``: Nova delegates it, so the port
carries Neutron's ``iface-id`` before the guest's tap exists) and the
hypervisor only has to create the tap device.
"""

import os
import shlex
import sys
import threading

from oslo_config import cfg
from oslo_log import log as logging

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

_INIT_LOCK = threading.Lock()
_INITIALIZED = []


def _privsep_helper_without_sudo():
    """A nova-compute already running as root starts os-vif's privileged
    helper directly (oslo.privsep's default goes through ``sudo``, which a
    root service on a minimal host may not have). An operator's own
    ``[vif_plug_ovs_privileged] helper_command`` is left as it is."""
    if os.geteuid() != 0:
        return
    helper = os.path.join(os.path.dirname(sys.executable), 'privsep-helper')
    if not os.path.exists(helper):
        return
    from vif_plug_ovs import privsep as ovs_privsep
    group = ovs_privsep.vif_plug.cfg_section
    if CONF[group].helper_command:
        return
    cmd = [helper]
    for option, flag in (('config_file', '--config-file'), ('config_dir', '--config-dir')):
        try:
            paths = getattr(CONF, option) or []
        except cfg.NoSuchOptError:  # configuration not parsed (tests)
            paths = []
        for path in paths if isinstance(paths, list) else [paths]:
            cmd += [flag, path]
    CONF.set_default('helper_command', ' '.join(shlex.quote(c) for c in cmd), group=group)


def _os_vif():
    import os_vif
    with _INIT_LOCK:
        if not _INITIALIZED:
            os_vif.initialize()
            _privsep_helper_without_sudo()
            _INITIALIZED.append(True)
    return os_vif


def instance_info(instance):
    from os_vif import objects as vif_objects
    return vif_objects.instance_info.InstanceInfo(
        uuid=instance.uuid, name=instance.name, project_id=instance.project_id)


def is_ovs(vif):
    return vif.get('type') == 'ovs'


def nova_to_osvif_vif(vif):
    """An os-vif VIFOpenVSwitch for an OVS VIF dict; None for other types."""
    if not is_ovs(vif):
        return None
    _os_vif()
    from os_vif import objects as vif_objects
    network = vif.get('network') or {}
    details = vif.get('details') or {}
    bridge = network.get('bridge') or details.get('bridge_name') or 'br-int'
    net = vif_objects.network.Network(
        id=network.get('id'), bridge=bridge, label=network.get('label'),
        subnets=vif_objects.subnet.SubnetList(objects=[]))
    mtu = (network.get('meta') or {}).get('mtu')
    if mtu:
        net.mtu = int(mtu)
    profile = vif_objects.vif.VIFPortProfileOpenVSwitch(
        interface_id=vif.get('ovs_interfaceid') or vif['id'],
        datapath_type=details.get('datapath_type') or 'system',
        create_port=bool(vif.get('delegate_create', True)))
    return vif_objects.vif.VIFOpenVSwitch(
        id=vif['id'], address=vif.get('address'), network=net, plugin='ovs',
        vif_name=vif.get('devname') or ('tap' + vif['id'])[:14],
        bridge_name=bridge, has_traffic_filtering=bool(details.get('port_filter')),
        preserve_on_delete=bool(vif.get('preserve_on_delete')),
        active=bool(vif.get('active')), port_profile=profile)


def plug(instance, vif):
    osvif = nova_to_osvif_vif(vif)
    if osvif is None:
        LOG.debug('VIF %s of type %s is not plugged by Nova', vif.get('id'), vif.get('type'))
        return
    _os_vif().plug(osvif, instance_info(instance))


def unplug(instance, vif):
    osvif = nova_to_osvif_vif(vif)
    if osvif is None:
        return
    _os_vif().unplug(osvif, instance_info(instance))
