"""Vendor data providers: deployer-supplied data handed to every guest.

``[api] vendordata_providers`` names them.  StaticJSON serves the JSON
document at ``[api] vendordata_jsonfile_path``.  DynamicJSON (asking REST
services per instance) is not implemented here: it is skipped with a log
note, exactly as a failing DynamicJSON target is when
``vendordata_dynamic_failure_fatal`` is off.
"""

import json

from oslo_log import log as logging

import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_WARNED = set()


def static_json():
    """The StaticJSON document, {} when unset, unreadable or not a JSON object."""
    path = CONF.api.vendordata_jsonfile_path
    if not path:
        return {}
    try:
        with open(path) as handle:
            data = json.load(handle)
    except OSError as error:
        LOG.warning('Cannot read vendor data file %s: %s', path, error)
        return {}
    except ValueError as error:
        LOG.warning('Vendor data file %s is not valid JSON: %s', path, error)
        return {}
    if not isinstance(data, dict):
        LOG.warning('Vendor data file %s does not hold a JSON object', path)
        return {}
    return data


def _note_dynamic_skipped():
    if 'DynamicJSON' not in _WARNED:
        _WARNED.add('DynamicJSON')
        LOG.warning('Vendor data provider DynamicJSON is not supported by this '
                    'release; its targets (%s) are left out of vendor_data2.json',
                    ', '.join(CONF.api.vendordata_dynamic_targets) or 'none')


def vendor_data():
    """vendor_data.json: the StaticJSON document when that provider is on."""
    if 'StaticJSON' in CONF.api.vendordata_providers:
        return static_json()
    return {}


def vendor_data2():
    """vendor_data2.json: one key per provider ('static', then dynamic targets)."""
    data = {}
    for provider in CONF.api.vendordata_providers:
        if provider == 'StaticJSON':
            data['static'] = static_json()
        elif provider == 'DynamicJSON':
            _note_dynamic_skipped()
    return data
