"""nova.virt.libvirt.hostinfo: the node's traits, CPU description and guest types,
read from a host's capabilities document (libvirt's XML, given here as text)."""

import json
from xml.etree import ElementTree as etree

from nova.virt.libvirt import hostinfo

CAPS = """<capabilities>
  <host><cpu>
    <arch>x86_64</arch><model>Skylake-Client</model><vendor>Intel</vendor>
    <topology sockets='1' cores='4' threads='2'/>
    <feature name='vmx'/><feature name='sse4.2'/>
  </cpu></host>
  <guest><os_type>hvm</os_type>
    <arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest>
  <guest><os_type>hvm</os_type>
    <arch name='i686'><domain type='qemu'/></arch></guest>
  <guest><os_type>hvm</os_type>
    <arch name='x86_64'><domain type='qemu'/></arch></guest>
</capabilities>"""


class _Host(object):
    """What hostinfo reads of nova.virt.libvirt.host.Host."""

    def __init__(self, caps=CAPS, features=('vmx', 'sse4.2', 'avx2', 'no-such-flag')):
        self.caps = etree.fromstring(caps)
        self.features = set(features)

    def get_capabilities(self):
        return self.caps

    def get_cpu_features(self):
        return self.features


def test_cpu_feature_names_become_os_traits():
    assert hostinfo.cpu_feature_trait('sse4.2') == 'HW_CPU_X86_SSE42'
    assert hostinfo.cpu_feature_trait('avx2') == 'HW_CPU_X86_AVX2'
    assert hostinfo.cpu_feature_trait('aes') == 'HW_CPU_X86_AESNI'
    assert hostinfo.cpu_feature_trait('no-such-flag') is None


def test_traits_from_cpu_architecture_and_capabilities():
    found = hostinfo.traits(_Host())
    assert {'HW_CPU_X86_VMX', 'HW_CPU_X86_SSE42', 'HW_CPU_X86_AVX2'} <= found
    assert {'HW_ARCH_X86_64', 'COMPUTE_ARCH_X86_64', 'COMPUTE_IMAGE_TYPE_QCOW2',
            'COMPUTE_NET_VIF_MODEL_VIRTIO'} <= found
    assert found <= hostinfo.MANAGED_TRAITS
    assert not any(t.startswith('CUSTOM_') for t in hostinfo.MANAGED_TRAITS)
    assert 'COMPUTE_STATUS_DISABLED' not in hostinfo.MANAGED_TRAITS


def test_cpu_info_as_os_hypervisors_shows_it():
    info = json.loads(hostinfo.cpu_info(_Host()))
    assert info == {'arch': 'x86_64', 'model': 'Skylake-Client', 'vendor': 'Intel',
                    'topology': {'sockets': 1, 'cores': 4, 'threads': 2},
                    'features': ['sse4.2', 'vmx']}
    bare = json.loads(hostinfo.cpu_info(_Host('<capabilities><host/></capabilities>')))
    assert bare['arch'] is None and bare['topology'] == {'sockets': 1, 'cores': 1,
                                                         'threads': 1}
    assert hostinfo.host_arch(_Host('<capabilities><host/></capabilities>')) is None


def test_supported_instances_listed_once_each():
    assert hostinfo.supported_instances(_Host()) == [
        ['x86_64', 'qemu', 'hvm'], ['x86_64', 'kvm', 'hvm'], ['i686', 'qemu', 'hvm']]
