"""``tools/allinone down --purge`` removes its own libvirt domains and no others."""

import os

from tests.fixtures import libvirt_host as host_fixture
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (pytest fixture)
from tools.allinone_lib import layout
from tools.allinone_lib import virt


def _define(tmp_path, name, disk, virt_type):
    xml = tmp_path / (name + '.xml')
    xml.write_text(host_fixture.domain_xml(name, virt_type, str(disk),
                                           str(tmp_path / (name + '.log'))))
    host_fixture.virsh('define', str(xml))


def test_purge_removes_only_this_clouds_domains(guest_host, tmp_path):  # noqa: F811
    state = layout.State(str(tmp_path / 'aio'))
    state.initialise(noauth=True, virt='libvirt', port_offset=0)
    ours_disk = os.path.join(virt.instances_path(state), 'abc', 'disk')
    other_disk = tmp_path / 'elsewhere' / 'disk'
    suffix = os.path.basename(str(tmp_path))[-8:]
    ours, other = 'purge-ours-%s' % suffix, 'purge-other-%s' % suffix
    _define(tmp_path, ours, ours_disk, guest_host)
    _define(tmp_path, other, other_disk, guest_host)
    try:
        said = []
        assert virt.purge_domains(state, said.append) == [ours]
        assert host_fixture.domain_state(ours) is None
        assert host_fixture.domain_state(other) == 'shut off'
        assert said == ['removed domain %s' % ours]
    finally:
        for name in (ours, other):
            host_fixture.virsh('undefine', name, check=False)
