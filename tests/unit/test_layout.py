"""The layout rules of doc/source/contributor/layout.rst, checked on nova/ as it is.

Imports are read from the source (including those inside functions), so a
module breaks a rule the moment it names a module it must not use.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOVA = ROOT / 'nova'
MAX_LINES = 1500

# Modules of nova/compute/ that every process may use: state and action
# names, the helpers both sides share, and the RPC client of nova-compute.
SHARED_COMPUTE = {'nova.compute', 'nova.compute.instance_actions', 'nova.compute.power_state',
                  'nova.compute.rpcapi', 'nova.compute.task_states', 'nova.compute.utils',
                  'nova.compute.vm_states'}
# What the REST layer may import of compute: the entry point and the shared modules.
REST_COMPUTE = (SHARED_COMPUTE - {'nova.compute.rpcapi'}) | {'nova.compute.api'}


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def imported(path):
    """Every module name ``path`` imports; ``from a import b`` gives ``a`` and ``a.b``."""
    names = set()
    package = module_name(path) if path.name == '__init__.py' else module_name(path).rpartition(
        '.')[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')
                anchor = anchor[:len(anchor) - node.level + 1]
                base = '.'.join(anchor + ([base] if base else []))
            names.add(base)
            names.update('%s.%s' % (base, alias.name) for alias in node.names)
    return names


def modules(*folders):
    for folder in folders:
        yield from sorted((NOVA / folder).rglob('*.py'))


def _under(name, prefix):
    return name == prefix or name.startswith(prefix + '.')


def _violations(paths, forbidden):
    found = []
    for path in paths:
        for name in sorted(imported(path)):
            if forbidden(path, name):
                found.append('%s imports %s' % (path.relative_to(ROOT), name))
    return found


def manager_side():
    return [path for path in modules('compute')
            if not _under(module_name(path), 'nova.compute.api')]


def test_nothing_outside_the_db_gateways_imports_the_db_layer():
    paths = manager_side() + list(modules('compute/api', 'virt', 'scheduler', 'conductor'))
    assert not _violations(paths, lambda path, name: _under(name, 'nova.db'))


def test_manager_side_and_drivers_do_not_import_the_api_side():
    # (A config drive carries the metadata service's documents: nova.api.metadata
    # is a library there, not the API process.)
    paths = manager_side() + list(modules('virt'))
    assert not _violations(paths, lambda path, name: (
        _under(name, 'nova.compute.api') or _under(name, 'nova.api.openstack')))


def test_api_side_reaches_nova_compute_only_through_rpcapi():
    def forbidden(path, name):
        return (_under(name, 'nova.compute') and not _under(name, 'nova.compute.api')
                and name not in SHARED_COMPUTE)
    assert not _violations(modules('compute/api'), forbidden)


def test_rest_layer_uses_the_compute_api_entry_point_only():
    def forbidden(path, name):
        return _under(name, 'nova.compute') and name not in REST_COMPUTE
    assert not _violations(modules('api/openstack'), forbidden)


def test_the_layout_page_names_every_compute_module():
    """doc/source/contributor/layout.rst says which process runs each module of
    nova/compute/: a module it does not name is one a newcomer cannot place."""
    page = (ROOT / 'doc' / 'source' / 'contributor' / 'layout.rst').read_text()
    unnamed = ['%s: add it to the tables of doc/source/contributor/layout.rst'
               % path.relative_to(ROOT) for path in modules('compute')
               if path.name != '__init__.py' and '``%s``' % path.name not in page
               and '``nova/compute/%s``' % path.name not in page]
    assert not unnamed


def test_no_file_passes_the_size_limit():
    too_long = ['%s: %d lines' % (path.relative_to(ROOT), count)
                for path in sorted(NOVA.rglob('*.py'))
                for count in [len(path.read_text().splitlines())] if count > MAX_LINES]
    assert not too_long


@pytest.mark.parametrize('source, expected', [
    ('from nova.compute import api as compute_api\n', {'nova.compute', 'nova.compute.api'}),
    ('def f():\n    import nova.db.main.api\n', {'nova.db.main.api'}),
    ('from . import power\n', {'nova.compute', 'nova.compute.power'}),
])
def test_imports_are_read_from_the_source(tmp_path, monkeypatch, source, expected):
    path = NOVA / 'compute' / '_layout_probe.py'
    monkeypatch.setattr(pathlib.Path, 'read_text', lambda self: source)
    assert imported(path) == expected


def test_a_db_import_in_the_manager_side_is_caught(monkeypatch):
    path = NOVA / 'compute' / 'build.py'
    real = pathlib.Path.read_text

    def read_text(self, *args, **kwargs):
        text = real(self, *args, **kwargs)
        return text + '\nfrom nova.db.main import api as db\n' if self == path else text
    monkeypatch.setattr(pathlib.Path, 'read_text', read_text)
    assert _violations([path], lambda _path, name: _under(name, 'nova.db')) == [
        'nova/compute/build.py imports nova.db.main',
        'nova/compute/build.py imports nova.db.main.api']
