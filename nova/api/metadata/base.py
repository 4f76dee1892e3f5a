"""The metadata tree of one instance, shared by the config drive and the metadata API.

``InstanceMetadata`` is built from an Instance object only (nova-compute
has no database), plus what the caller knows at boot (injected files, the
admin password, the network info).  ``lookup(path)`` answers one path of the
tree (a ``Listing`` for a directory, a dict for a JSON document, str/bytes
for a raw file); ``metadata_for_config_drive()`` yields every file a config
drive holds.
"""

import base64
import binascii
import json
import os
import posixpath

from oslo_log import log as logging

from nova.api.metadata import ec2
from nova.api.metadata import netdata
from nova.api.metadata import password
from nova.api.metadata import vendordata
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# The OpenStack metadata versions, oldest first; each adds documents or keys.
FOLSOM = '2012-08-10'
GRIZZLY = '2013-04-04'
HAVANA = '2013-10-17'
LIBERTY = '2015-10-15'
NEWTON_ONE = '2016-06-30'
NEWTON_TWO = '2016-10-06'
OCATA = '2017-02-22'
ROCKY = '2018-08-27'
OPENSTACK_VERSIONS = (FOLSOM, GRIZZLY, HAVANA, LIBERTY, NEWTON_ONE, NEWTON_TWO,
                      OCATA, ROCKY)

MD_JSON = 'meta_data.json'
UD_NAME = 'user_data'
VD_JSON = 'vendor_data.json'
VD2_JSON = 'vendor_data2.json'
NW_JSON = 'network_data.json'
PASS_NAME = 'password'

CONTENT_DIR = 'content'
RANDOM_SEED_BYTES = 512


class InvalidMetadataPath(KeyError):
    """No such file or directory in the tree (HTTP 404)."""


class InvalidMetadataVersion(InvalidMetadataPath):
    """A version this service does not know (HTTP 404)."""


class Listing(list):
    """A directory: rendered as its entries, one per line."""


def _at_least(version, since):
    return version == 'latest' or version >= since


def _decode_user_data(encoded):
    """The instance's user data as bytes (stored base64-encoded), None if absent."""
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded)
    except (binascii.Error, TypeError, ValueError):
        LOG.warning('User data is not valid base64; served as given')
        return encoded.encode() if isinstance(encoded, str) else encoded


class InstanceMetadata(object):
    """Every metadata document of one instance."""

    def __init__(self, instance, address=None, content=None, extra_md=None,
                 network_info=None, request_context=None):
        self.instance = instance
        self.address = address
        self.request_context = request_context
        self.extra_md = dict(extra_md or {})
        self.network_info = (network_info if network_info is not None
                             else self._cached_network_info())
        self.userdata_raw = _decode_user_data(instance.user_data)
        self.launch_metadata = dict(instance.metadata or {})
        # Injected files: the document lists them, content/NNNN holds the bytes.
        self.files = []
        self.content = {}
        for index, (path, data) in enumerate(content or []):
            key = '%04d' % index
            if isinstance(data, str):
                data = data.encode()
            self.content[key] = data
            self.files.append({'path': path,
                               'content_path': '/%s/%s' % (CONTENT_DIR, key)})
        self.keypairs = self._keypairs()
        self.hostname = self._hostname()

    # -- sources -------------------------------------------------------

    def _cached_network_info(self):
        """The network info cached on the instance, [] when there is none."""
        instance = self.instance
        try:
            cache = instance.info_cache
        except Exception:  # not loadable here (e.g. an object built in memory)
            return []
        if cache is None:
            return []
        return cache.network_info or []

    def _keypairs(self):
        """[{name, type, data}] from the instance's key pairs (or its key_data)."""
        found = []
        try:
            keypairs = self.instance.keypairs
        except Exception:  # not loadable here; fall back to the legacy columns
            keypairs = []
        for keypair in keypairs or []:
            found.append({'name': keypair.name,
                          'type': keypair.type if keypair.obj_attr_is_set('type') else 'ssh',
                          'data': keypair.public_key})
        if not found and self.instance.key_name and self.instance.key_data:
            found.append({'name': self.instance.key_name, 'type': 'ssh',
                          'data': self.instance.key_data})
        return found

    def _hostname(self):
        name = self.instance.hostname or ''
        domain = CONF.api.dhcp_domain
        if domain and name and '.' not in name:
            return '%s.%s' % (name, domain)
        return name

    # -- documents -----------------------------------------------------

    def meta_data(self, version):
        """meta_data.json of an OpenStack ``version``."""
        instance = self.instance
        data = {
            'uuid': instance.uuid,
            'meta': self.launch_metadata,
            'hostname': self.hostname,
            'name': instance.display_name,
            'launch_index': instance.launch_index or 0,
            'availability_zone': instance.availability_zone,
        }
        if self.keypairs:
            data['public_keys'] = {kp['name']: kp['data'] for kp in self.keypairs}
            data['keys'] = [dict(kp) for kp in self.keypairs]
        if self.files:
            data['files'] = [dict(item) for item in self.files]
        if self.extra_md.get('admin_pass'):
            data['admin_pass'] = self.extra_md['admin_pass']
        if _at_least(version, GRIZZLY):
            data['random_seed'] = base64.b64encode(
                os.urandom(RANDOM_SEED_BYTES)).decode('ascii')
        if _at_least(version, LIBERTY):
            data['project_id'] = instance.project_id
        if _at_least(version, NEWTON_ONE):
            data['devices'] = []  # no device tagging in this release
        return data

    def network_data(self):
        return netdata.network_data(self.network_info)

    def ec2_meta_data(self, version):
        return ec2.meta_data(self.instance, version, self.hostname,
                             self.network_info, self.keypairs)

    # -- the OpenStack tree --------------------------------------------

    def openstack_entries(self, version):
        """The files of openstack/<version>/, in upstream's order."""
        entries = [MD_JSON]
        if self.userdata_raw is not None:
            entries.append(UD_NAME)
        if _at_least(version, GRIZZLY):
            entries.append(PASS_NAME)
        if _at_least(version, HAVANA):
            entries.append(VD_JSON)
        if _at_least(version, LIBERTY):
            entries.append(NW_JSON)
        if _at_least(version, NEWTON_TWO):
            entries.append(VD2_JSON)
        return entries

    def openstack_item(self, version, name):
        if name not in self.openstack_entries(version):
            raise InvalidMetadataPath('openstack/%s/%s' % (version, name))
        if name == MD_JSON:
            return self.meta_data(version)
        if name == UD_NAME:
            return self.userdata_raw
        if name == PASS_NAME:
            return password.extract_password(self.instance)
        if name == VD_JSON:
            return vendordata.vendor_data()
        if name == VD2_JSON:
            return vendordata.vendor_data2(self.instance, self.request_context)
        return self.network_data()

    def lookup_openstack(self, tokens):
        if not tokens:
            return Listing(list(OPENSTACK_VERSIONS) + ['latest'])
        version = tokens[0]
        if version == CONTENT_DIR:
            if len(tokens) == 1:
                return Listing(sorted(self.content))
            if len(tokens) == 2 and tokens[1] in self.content:
                return self.content[tokens[1]]
            raise InvalidMetadataPath('/'.join(tokens))
        if version != 'latest' and version not in OPENSTACK_VERSIONS:
            raise InvalidMetadataVersion(version)
        if len(tokens) == 1:
            return Listing(self.openstack_entries(version))
        if len(tokens) == 2:
            return self.openstack_item(version, tokens[1])
        raise InvalidMetadataPath('/'.join(tokens))

    # -- the EC2 tree --------------------------------------------------

    def lookup_ec2(self, tokens):
        version = tokens[0]
        if version != 'latest' and version not in ec2.VERSIONS:
            raise InvalidMetadataVersion(version)
        if len(tokens) == 1:
            entries = ['meta-data/']
            if self.userdata_raw is not None:
                entries.append('user-data')
            return Listing(entries)
        if tokens[1] == 'user-data' and len(tokens) == 2:
            if self.userdata_raw is None:
                raise InvalidMetadataPath('user-data')
            return self.userdata_raw
        if tokens[1] != 'meta-data':
            raise InvalidMetadataPath('/'.join(tokens))
        return _walk_ec2(self.ec2_meta_data(version), tokens[2:])

    # -- entry points --------------------------------------------------

    def lookup(self, path):
        """The node at ``path`` (e.g. '/openstack/latest/meta_data.json')."""
        tokens = [token for token in path.split('/') if token]
        if not tokens:
            return Listing(list(ec2.VERSIONS) + ['latest'])
        if tokens[0] == 'openstack':
            return self.lookup_openstack(tokens[1:])
        return self.lookup_ec2(tokens)

    def metadata_for_config_drive(self):
        """Yield (relative path, bytes) for every file of the config drive."""
        skipped = set(CONF.api.config_drive_skip_versions.split())
        for version in list(ec2.VERSIONS) + ['latest']:
            if version in skipped:
                continue
            yield (posixpath.join('ec2', version, 'meta-data.json'),
                   _json_bytes(self.ec2_meta_data(version)))
            if self.userdata_raw is not None:
                yield posixpath.join('ec2', version, 'user-data'), self.userdata_raw
        for version in list(OPENSTACK_VERSIONS) + ['latest']:
            for name in self.openstack_entries(version):
                if name == PASS_NAME:
                    continue  # posted by the guest to the metadata API only
                value = self.openstack_item(version, name)
                data = value if isinstance(value, bytes) else _json_bytes(value)
                yield posixpath.join('openstack', version, name), data
        for key, data in sorted(self.content.items()):
            yield posixpath.join('openstack', CONTENT_DIR, key), data


def _json_bytes(document):
    return json.dumps(document).encode('utf-8')


def _walk_ec2(node, tokens):
    """Follow ``tokens`` down the EC2 meta-data dict; dicts are directories."""
    for depth, token in enumerate(tokens):
        if not isinstance(node, dict):
            raise InvalidMetadataPath('/'.join(tokens))
        if token in node and not token.startswith('_'):
            node = node[token]
            continue
        raise InvalidMetadataPath('/'.join(tokens[:depth + 1]))
    if isinstance(node, dict):
        return Listing(ec2_listing(node))
    return node


def ec2_listing(node):
    """Directory entries of an EC2 meta-data dict, sub-directories ending in '/'."""
    entries = []
    for key in sorted(node):
        if key.startswith('_'):
            continue
        value = node[key]
        if isinstance(value, dict):
            # public-keys lists '0=name' instead of '0/'
            entries.append(value.get('_name') or key + '/')
        else:
            entries.append(key)
    return entries
