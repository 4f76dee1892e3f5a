"""The body of GET /servers/{id}/diagnostics, per microversion.

Before 2.48 the answer is whatever dict the virt driver made (each driver
names its own keys). From 2.48 every driver answers the same fields; only
those go out, a figure the driver could not read as null, so the body's
shape never depends on the driver.
"""

_SCALARS = ('state', 'driver', 'hypervisor', 'hypervisor_os', 'uptime', 'config_drive')

# The counts, each defaulting to the length of the list it counts.
_COUNTS = {'num_cpus': 'cpu_details', 'num_disks': 'disk_details', 'num_nics': 'nic_details'}

_LISTS = {
    'cpu_details': ('id', 'time', 'utilisation'),
    'disk_details': ('read_bytes', 'read_requests', 'write_bytes', 'write_requests',
                     'errors_count'),
    'nic_details': ('mac_address', 'rx_octets', 'rx_errors', 'rx_drop', 'rx_packets',
                    'rx_rate', 'tx_octets', 'tx_errors', 'tx_drop', 'tx_packets',
                    'tx_rate'),
}

_OBJECTS = {'memory_details': ('maximum', 'used')}


def _pick(item, fields):
    item = item or {}
    return {field: item.get(field) for field in fields}


def free_form(diagnostics):
    """2.1-2.47: the driver's own dict."""
    return dict(diagnostics or {})


def standard(diagnostics):
    """2.48+: upstream's fixed fields."""
    diagnostics = diagnostics or {}
    body = {key: diagnostics.get(key) for key in _SCALARS}
    for key, fields in _LISTS.items():
        body[key] = [_pick(item, fields) for item in diagnostics.get(key) or []]
    for key, listed in _COUNTS.items():
        count = diagnostics.get(key)
        body[key] = len(body[listed]) if count is None else count
    for key, fields in _OBJECTS.items():
        body[key] = _pick(diagnostics.get(key), fields)
    return body
