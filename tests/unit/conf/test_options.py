"""Nova's options must keep upstream's names, groups, types and defaults.

The reference is tests/data/config-options.tsv (upstream Nova's generated
sample, as data).  Options are looked up the way oslo-config-generator sees
them: through the ``oslo.config.opts`` entry points named in
etc/nova/nova-config-generator.conf.
"""

import csv
import json
import pathlib
import re
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from oslo_config import cfg
from oslo_config import generator

ROOT = pathlib.Path(__file__).resolve().parents[3]
TSV = ROOT / 'tests' / 'data' / 'config-options.tsv'
GENERATOR_CONF = ROOT / 'etc' / 'nova' / 'nova-config-generator.conf'

# Groups of the reference that Nova deliberately does not offer.  Empty:
# every upstream group exists.  Add a group here (with a reason) rather than
# deleting its rows from the reference.
NOT_IMPLEMENTED = set()


def _reference_rows():
    with TSV.open(newline='') as f:
        return [row for row in csv.DictReader(f, delimiter='\t')
                if row['group'] not in NOT_IMPLEMENTED]


def _namespaces():
    # namespace is a repeated key, which configparser cannot read.
    names = []
    for line in GENERATOR_CONF.read_text().splitlines():
        key, _, value = line.partition('=')
        if key.strip() == 'namespace':
            names.append(value.strip())
    return names


def _generator_opts():
    """{(group, option name): opt} for every namespace the sample uses."""
    found = {}
    eps = {ep.name: ep for ep in entry_points(group='oslo.config.opts')}
    for namespace in _namespaces():
        for group, opts in eps[namespace].load()():
            name = group.name if isinstance(group, cfg.OptGroup) else group
            for opt in opts:
                found.setdefault((name or 'DEFAULT', opt.name), opt)
    return found


def _normalise(value):
    """Make a default comparable with the reference's JSON-ish text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return str(value)


def _reference_default(text):
    try:
        return _normalise(json.loads(text))
    except ValueError:
        return text


def _opt_default(opt):
    if opt.sample_default is not None:
        return _normalise(opt.sample_default)
    return _normalise(opt.default)


ROWS = _reference_rows()
OPTS = _generator_opts()


def test_reference_is_loaded():
    assert len(ROWS) > 100


@pytest.mark.parametrize(
    'row', ROWS, ids=['%s.%s' % (r['group'], r['option']) for r in ROWS])
def test_option_matches_reference(row):
    opt = OPTS.get((row['group'], row['option']))
    assert opt is not None, 'missing option'
    # The generator's own wording is what the reference was written from.
    type_name = generator._format_type_name(opt.type)
    assert type_name.lower() == row['type'].lower()
    assert _opt_default(opt) == _reference_default(row['default'])
    assert opt.deprecated_for_removal == (
        row['deprecated_for_removal'] == 'True')


def test_unimplemented_groups_are_really_absent_or_listed():
    """Keep the allow-list honest: drop groups from it once they exist."""
    implemented = {group for group, _ in OPTS}
    assert not (NOT_IMPLEMENTED & implemented), (
        'now implemented, remove from NOT_IMPLEMENTED: %s'
        % sorted(NOT_IMPLEMENTED & implemented))


def test_nova_conf_registers_options():
    import nova.conf
    conf = cfg.ConfigOpts()
    for module in nova.conf.MODULES:
        module.register_opts(conf)
    conf([], default_config_files=[])
    assert conf.placement.service_type == 'placement'
    assert conf.placement.valid_interfaces == ['internal', 'public']
    assert conf.api_database.connection is None
    assert conf.filter_scheduler.host_subset_size == 1


def test_sample_generator_lists_every_option(tmp_path):
    out = tmp_path / 'nova.conf.sample'
    subprocess.run(
        [sys.executable, '-m', 'oslo_config.generator',
         '--config-file', str(GENERATOR_CONF), '--output-file', str(out)],
        check=True, cwd=ROOT)
    sections = {}
    current = None
    for line in out.read_text().splitlines():
        if line.startswith('[') and line.endswith(']'):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            match = re.match(r'^#([\w-]+) =', line)
            if match:
                current.add(match.group(1))
    missing = [
        '%s.%s' % (r['group'], r['option']) for r in ROWS
        if r['option'].replace('-', '_')
        not in sections.get(r['group'], set())]
    assert not missing


def _fresh_conf():
    import nova.conf
    conf = cfg.ConfigOpts()
    for module in nova.conf.MODULES:
        module.register_opts(conf)
    return conf


def test_registration_is_repeatable():
    import nova.conf
    conf = _fresh_conf()
    for module in nova.conf.MODULES:
        module.register_opts(conf)
    conf([], default_config_files=[])


def test_api_database_is_independent_of_database():
    conf = _fresh_conf()
    conf.set_default('connection', 'sqlite:///api.db', group='api_database')
    conf([], default_config_files=[])
    assert conf.api_database.connection == 'sqlite:///api.db'
    assert conf.database.connection is None


def test_deprecated_names_still_read(tmp_path):
    conf_file = tmp_path / 'nova.conf'
    conf_file.write_text(
        '[DEFAULT]\n'
        'vnc_enabled = false\n'
        'default_notification_level = ERROR\n'
        '[pci]\n'
        'passthrough_whitelist = {"vendor_id": "8086"}\n')
    conf = _fresh_conf()
    conf([], default_config_files=[str(conf_file)])
    assert conf.vnc.enabled is False
    assert conf.notifications.default_level == 'ERROR'
    assert conf.pci.device_spec == ['{"vendor_id": "8086"}']


def test_dynamic_groups():
    from nova.conf import devices
    from nova.conf import neutron
    conf = _fresh_conf()
    conf([], default_config_files=[])
    conf.set_override('physnets', ['foo'], group='neutron')
    conf.set_override('enabled_mdev_types', ['nvidia-35'], group='devices')
    neutron.register_dynamic_opts(conf)
    devices.register_dynamic_opts(conf)
    assert conf.neutron_physnet_foo.numa_nodes == []
    assert conf.neutron_tunnel.numa_nodes == []
    assert conf['mdev_nvidia-35'].mdev_class == 'VGPU'


def test_choices_are_enforced(tmp_path):
    conf_file = tmp_path / 'nova.conf'
    conf_file.write_text('[libvirt]\nvirt_type = xen\n')
    conf = _fresh_conf()
    conf([], default_config_files=[str(conf_file)])
    with pytest.raises(ValueError):
        conf.libvirt.virt_type


def test_global_conf_has_every_group():
    import nova.conf
    from nova.conf import opts
    for group, _ in opts.list_opts():
        name = group.name if isinstance(group, cfg.OptGroup) else group
        if name != 'DEFAULT':
            assert name in nova.conf.CONF, name
