"""What every console script does first: one clear line and exit code 2 for a bad
configuration, the malloc arena cap unless the environment sets one, database access
blocked where a service must not have it."""

import pytest

import nova.conf
from nova.cmd import common
from nova.db.main import engine as main_engine
from nova import exception

CONF = nova.conf.CONF


@pytest.fixture
def reparse():
    """The failed parse leaves CONF without a parsed command line: parse an empty one
    after, as the other tests expect."""
    yield
    CONF([], project='nova')


def test_a_missing_config_file_is_one_line_and_exit_2(capsys, tmp_path, reparse):
    with pytest.raises(SystemExit) as exit_:
        common.setup(['nova-compute', '--config-file', str(tmp_path / 'missing.conf')],
                     binary='nova-compute', configure_db=False, init_rpc=False)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith('nova-compute: configuration error: ') and err.count('\n') == 1


def test_a_config_file_that_does_not_parse_is_exit_2(capsys, tmp_path, reparse):
    broken = tmp_path / 'nova.conf'
    broken.write_text('[DEFAULT\nhost = x\n')
    with pytest.raises(SystemExit) as exit_:
        common.setup(['nova-api', '--config-file', str(broken)], configure_db=False,
                     init_rpc=False)
    assert exit_.value.code == 2 and 'nova-api: configuration error' in capsys.readouterr().err


def test_the_environment_wins_over_the_arena_cap(monkeypatch):
    calls = []

    class _Libc(object):
        def mallopt(self, option, value):
            calls.append((option, value))
    monkeypatch.setattr(common.ctypes, 'CDLL', lambda name: _Libc())
    monkeypatch.setenv('MALLOC_ARENA_MAX', '4')
    common.limit_malloc_arenas()
    assert calls == []
    monkeypatch.delenv('MALLOC_ARENA_MAX')
    common.limit_malloc_arenas(arenas=3)
    assert calls == [(common._M_ARENA_MAX, 3)]


def test_no_glibc_no_cap(monkeypatch):
    def no_libc(name):
        raise OSError('not found')
    monkeypatch.delenv('MALLOC_ARENA_MAX', raising=False)
    monkeypatch.setattr(common.ctypes, 'CDLL', no_libc)
    common.limit_malloc_arenas()  # nothing to tune, no error


def test_blocked_database_access_fails_loudly(monkeypatch):
    monkeypatch.setattr(main_engine, 'DISABLE_DB_ACCESS', False)
    common.block_db_access()
    with pytest.raises(exception.DBNotAllowed):
        main_engine.get_engine()


def test_a_service_not_built_yet_says_so(capsys):
    assert common.not_built_yet('nova-foo', 'the foo service') == 2
    assert capsys.readouterr().err == \
        'nova-foo: the foo service is not available in this release yet.\n'
