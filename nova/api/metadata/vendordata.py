"""Vendor data providers: deployer-supplied data handed to every guest.

``[api] vendordata_providers`` names them.  StaticJSON serves the JSON
document at ``[api] vendordata_jsonfile_path``.  DynamicJSON POSTs facts
about the instance to each ``[api] vendordata_dynamic_targets`` entry
("name@url", authenticated with ``[vendordata_dynamic_auth]`` when that
names an auth type) and files each JSON answer under its name.  A target
that fails is left out with a warning, or fails the whole document when
``vendordata_dynamic_failure_fatal`` is on.
"""

import json
import threading

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_log import log as logging

import nova.conf
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)
AUTH_GROUP = 'vendordata_dynamic_auth'

_session_lock = threading.Lock()
_SESSION = []


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


def _session():
    """One keystoneauth session for every DynamicJSON call of this process."""
    with _session_lock:
        if not _SESSION:
            auth = None
            if CONF[AUTH_GROUP].auth_type:
                auth = ks_loading.load_auth_from_conf_options(CONF, AUTH_GROUP)
            _SESSION.append(ks_loading.load_session_from_conf_options(
                CONF, AUTH_GROUP, auth=auth))
        return _SESSION[0]


def _targets():
    """[(name, url)] of the well-formed targets; bad entries are logged once each call."""
    found = []
    for target in CONF.api.vendordata_dynamic_targets:
        name, sep, url = target.partition('@')
        if not sep or not name or not url.startswith(('http://', 'https://')):
            LOG.warning('Vendor data target %r is not "name@http(s)://..."; skipped', target)
            continue
        found.append((name, url))
    return found


def _request_body(instance, request_context):
    sys_meta = instance.system_metadata or {}
    roles = sys_meta.get('boot_roles')
    if roles is None and request_context is not None:
        roles = ','.join(getattr(request_context, 'roles', None) or [])
    return {'project-id': instance.project_id,
            'instance-id': instance.uuid,
            'image-id': instance.image_ref,
            'user-data': instance.user_data,
            'hostname': instance.hostname,
            'metadata': dict(instance.metadata or {}),
            'boot-roles': roles or ''}


def _call_target(name, url, body):
    verify = CONF.api.vendordata_dynamic_ssl_certfile or True
    response = _session().post(
        url, json=body, headers={'Accept': 'application/json'}, raise_exc=False,
        verify=verify, timeout=(CONF.api.vendordata_dynamic_connect_timeout,
                 CONF.api.vendordata_dynamic_read_timeout or None))
    if response.status_code not in (200, 201):
        raise exception.NovaException('vendor data target %s answered %s'
                                      % (name, response.status_code))
    data = response.json()
    if not isinstance(data, dict):
        raise exception.NovaException('vendor data target %s did not answer a JSON '
                                      'object' % name)
    return data


def dynamic_json(instance, request_context=None):
    """{target name: its answer} for every DynamicJSON target that answered."""
    data = {}
    body = _request_body(instance, request_context)
    for name, url in _targets():
        try:
            data[name] = _call_target(name, url, body)
        except (ks_exc.ClientException, exception.NovaException, ValueError) as error:
            LOG.warning('Vendor data from %s (%s) for instance %s failed: %s',
                        name, url, instance.uuid, error)
            if CONF.api.vendordata_dynamic_failure_fatal:
                raise VendorDataFailed(target=name, reason=str(error))
    return data


class VendorDataFailed(exception.NovaException):
    msg_fmt = 'Vendor data target %(target)s failed: %(reason)s'


def vendor_data():
    """vendor_data.json: the StaticJSON document when that provider is on."""
    if 'StaticJSON' in CONF.api.vendordata_providers:
        return static_json()
    return {}


def vendor_data2(instance, request_context=None):
    """vendor_data2.json: 'static' for StaticJSON, then one key per dynamic target."""
    data = {}
    for provider in CONF.api.vendordata_providers:
        if provider == 'StaticJSON':
            data['static'] = static_json()
        elif provider == 'DynamicJSON':
            data.update(dynamic_json(instance, request_context))
    return data
