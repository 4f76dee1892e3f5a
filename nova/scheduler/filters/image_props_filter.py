"""Hosts whose hypervisor can run the image's architecture, hypervisor type and VM mode."""

from oslo_log import log as logging

import nova.conf
from nova.scheduler import filters

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_ARCH_ALIASES = {'amd64': 'x86_64', 'x86-64': 'x86_64', 'i386': 'i686', 'i486': 'i686',
                 'i586': 'i686', 'x86_32': 'i686', 'ia32': 'i686', 'arm64': 'aarch64'}
_HV_ALIASES = {'xapi': 'xen'}
_VM_MODE_ALIASES = {'hv': 'hvm', 'baremetal': 'hvm', 'pv': 'xen'}


def _canonical(value, aliases):
    if not value:
        return None
    value = str(value).lower()
    return aliases.get(value, value)


class ImagePropertiesFilter(filters.BaseHostFilter):
    """Compare hw_architecture, img_hv_type and hw_vm_mode with supported_instances."""

    RUN_ON_REBUILD = True

    @staticmethod
    def _wanted(spec_obj):
        image = spec_obj.image if spec_obj.obj_attr_is_set('image') else None
        props = image.properties if image is not None and image.obj_attr_is_set(
            'properties') else None
        arch = props.get('hw_architecture') if props is not None else None
        arch = arch or CONF.filter_scheduler.image_properties_default_architecture
        return (_canonical(arch, _ARCH_ALIASES),
                _canonical(props.get('img_hv_type') if props is not None else None,
                           _HV_ALIASES),
                _canonical(props.get('hw_vm_mode') if props is not None else None,
                           _VM_MODE_ALIASES))

    def accepts_all(self, spec_obj):
        return not any(self._wanted(spec_obj))

    def filter_all(self, host_states, spec_obj):
        wanted = self._wanted(spec_obj)  # once per request, not once per host
        if not any(wanted):
            return list(host_states)
        return [h for h in host_states if self._offers(h, wanted)]

    def host_passes(self, host_state, spec_obj):
        wanted = self._wanted(spec_obj)
        if not any(wanted):
            return True
        return self._offers(host_state, wanted)

    @staticmethod
    def _offers(host_state, wanted):
        supported = host_state.supported_instances or []
        if not supported:
            LOG.debug('%s reports no supported instance types', host_state)
            return False
        for offer in supported:
            offer = tuple(str(v).lower() for v in offer)
            if all(w is None or w in offer for w in wanted):
                return True
        LOG.debug('%(host)s does not support requested instance properties %(wanted)s',
                  {'host': host_state, 'wanted': wanted})
        return False
