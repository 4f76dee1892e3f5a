"""Version documents: the list at ``/`` and one version at ``/v2/`` or ``/v2.1/``."""

import copy

from nova.api.openstack import api_version_request

_MEDIA_BASE = 'application/json'
_MEDIA_TYPE = 'application/vnd.openstack.compute+json;version=%s'


def versions():
    """The versions this API serves, keyed by id; built fresh so MAX changes show."""
    return {
        'v2.0': {
            'id': 'v2.0',
            'status': 'DEPRECATED',
            'version': '',
            'min_version': '',
            'updated': '2025-07-04T12:00:00Z',
            'path': 'v2',
            'media_version': '2',
        },
        'v2.1': {
            'id': 'v2.1',
            'status': 'CURRENT',
            'version': api_version_request.MAX_API_VERSION,
            'min_version': api_version_request.MIN_API_VERSION,
            'updated': '2013-07-23T11:33:21Z',
            'path': 'v2.1',
            'media_version': '2.1',
        },
    }


def _public(version):
    return {k: v for k, v in version.items() if k not in ('path', 'media_version')}


def build_versions(base_url):
    result = []
    for version in versions().values():
        entry = _public(version)
        entry['links'] = [{'rel': 'self', 'href': '%s/%s/' % (base_url, version['path'])}]
        result.append(entry)
    return {'versions': result}


def build_version(base_url, version_id):
    version = copy.deepcopy(versions()[version_id])
    entry = _public(version)
    entry['links'] = [
        {'rel': 'self', 'href': '%s/%s/' % (base_url, version['path'])},
        {'rel': 'describedby', 'type': 'text/html', 'href': 'http://docs.openstack.org/'},
    ]
    entry['media-types'] = [{'base': _MEDIA_BASE,
                             'type': _MEDIA_TYPE % version['media_version']}]
    return {'version': entry}


def build_choices(base_url, path):
    choices = []
    for version in versions().values():
        choices.append({
            'id': version['id'], 'status': version['status'],
            'links': [{'rel': 'self',
                       'href': '%s/%s%s' % (base_url, version['path'], path)}],
            'media-types': [{'base': _MEDIA_BASE,
                             'type': _MEDIA_TYPE % version['media_version']}],
        })
    return {'choices': choices}
