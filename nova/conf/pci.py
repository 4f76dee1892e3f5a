"""[pci]: PCI passthrough devices."""

from oslo_config import cfg

pci_group = cfg.OptGroup(
    'pci', title='PCI passthrough options',
    help='Which host PCI devices guests may use and how flavors ask for '
         'them.')

pci_opts = [
    cfg.MultiStrOpt('alias', default=[],
                    deprecated_name='pci_alias',
                    deprecated_group='DEFAULT',
                    help='A JSON object naming a kind of PCI device for '
                         'flavors\' pci_passthrough:alias; may be '
                         'repeated.'),
    cfg.MultiStrOpt('device_spec', default=[],
                    deprecated_opts=[
                        cfg.DeprecatedOpt('passthrough_whitelist',
                                          group='pci'),
                        cfg.DeprecatedOpt('pci_passthrough_whitelist',
                                          group='DEFAULT')],
                    help='A JSON object selecting host PCI devices guests may '
                         'use; may be repeated.'),
    cfg.BoolOpt('report_in_placement', default=False,
                help='Report PCI devices as Placement inventory.'),
]


def register_opts(conf):
    conf.register_group(pci_group)
    conf.register_opts(pci_opts, group=pci_group)


def list_opts():
    return {pci_group: pci_opts}
