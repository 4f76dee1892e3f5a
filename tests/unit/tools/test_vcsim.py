"""tools/vcsim: the simulator's build cache key and command line."""

from tools import vcsim


def test_binary_is_keyed_by_the_go_sources(tmp_path, monkeypatch):
    first = vcsim.binary_path()
    assert first.startswith(vcsim.CACHE_DIR)
    copy = tmp_path / 'src'
    copy.mkdir()
    for name in vcsim._sources():
        with open('%s/%s' % (vcsim.HERE, name)) as f:
            (copy / name).write_text(f.read())
    monkeypatch.setattr(vcsim, 'HERE', str(copy))
    assert vcsim.binary_path() == first
    (copy / 'main.go').write_text((copy / 'main.go').read_text() + '\n// changed\n')
    assert vcsim.binary_path() != first


def test_command_and_environment(tmp_path):
    sim = vcsim.Simulator(14010, str(tmp_path), hosts=2)
    cmd = sim.command('/bin/nova-vcsim')
    assert cmd[:3] == ['/bin/nova-vcsim', '-listen', '127.0.0.1:14010']
    assert cmd[cmd.index('-hosts') + 1] == '2'
    assert cmd[cmd.index('-cert-file') + 1] == sim.cert_file
    assert sim.url == 'https://127.0.0.1:14010'
    assert sim.environment()['TMPDIR'] == str(tmp_path / 'datastores')
    assert (tmp_path / 'datastores').is_dir()
