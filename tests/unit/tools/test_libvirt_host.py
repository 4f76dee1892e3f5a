"""tools/libvirt_host: config merging and the KVM/TCG choice (no daemons touched)."""

from tools import libvirt_host


def test_merged_conf_on_empty_file_writes_all_settings():
    text = libvirt_host.merged_conf('', libvirt_host.QEMU_CONF)
    assert 'user = "root"' in text
    assert 'vnc_listen = "127.0.0.1"' in text
    assert 'spice_listen = "127.0.0.1"' in text
    assert 'security_driver = "none"' in text


def test_merged_conf_replaces_ours_and_keeps_others():
    existing = '# comment\nuser = "libvirt-qemu"\nmax_files = 1024\n#vnc_listen = "0.0.0.0"\n'
    text = libvirt_host.merged_conf(existing, (('user', '"root"'), ('vnc_listen', '"127.0.0.1"')))
    lines = text.splitlines()
    assert 'user = "root"' in lines
    assert 'user = "libvirt-qemu"' not in lines
    assert 'max_files = 1024' in lines
    assert '#vnc_listen = "0.0.0.0"' in lines
    assert lines[-1] == 'vnc_listen = "127.0.0.1"'


def test_merged_conf_is_idempotent():
    once = libvirt_host.merged_conf('', libvirt_host.LIBVIRTD_CONF)
    assert libvirt_host.merged_conf(once, libvirt_host.LIBVIRTD_CONF) == once


def test_write_conf_reports_change_once(tmp_path):
    path = str(tmp_path / 'qemu.conf')
    assert libvirt_host.write_conf(path, libvirt_host.QEMU_CONF) is True
    assert libvirt_host.write_conf(path, libvirt_host.QEMU_CONF) is False


def test_virt_type_override(monkeypatch):
    monkeypatch.setenv('NOVA_LIBVIRT_VIRT_TYPE', 'kvm')
    assert libvirt_host.virt_type() == 'kvm'
    monkeypatch.delenv('NOVA_LIBVIRT_VIRT_TYPE')
    monkeypatch.setattr(libvirt_host, 'kvm_usable', lambda: False)
    assert libvirt_host.virt_type() == 'qemu'


def test_kvm_needs_hardware_virtualisation(monkeypatch, tmp_path):
    cpuinfo = tmp_path / 'cpuinfo'
    cpuinfo.write_text('flags\t\t: fpu vme hypervisor\n')
    real_open = open

    def fake_open(path, *args, **kwargs):
        return real_open(cpuinfo if path == '/proc/cpuinfo' else path, *args, **kwargs)

    monkeypatch.setattr(libvirt_host.os.path, 'exists', lambda path: path == '/dev/kvm')
    monkeypatch.setattr('builtins.open', fake_open)
    assert libvirt_host.kvm_usable() is False
    cpuinfo.write_text('flags\t\t: fpu vmx hypervisor\n')
    assert libvirt_host.kvm_usable() is True
