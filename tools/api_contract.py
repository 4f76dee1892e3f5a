"""Write tests/data/api_contract.json from the API contract's endpoint list.

The contract (``../shared/compute-api/endpoints.json`` beside the checkout)
names, for every method and path of upstream's compute API reference, the
status codes of success and of failure and the request parameters with the
microversions that bound them.  The tests need only those facts, keyed the
way ``nova.api.openstack.introspect`` names an operation, so this keeps that
much in the repository::

    .venv/bin/python -m tools.api_contract [path/to/endpoints.json]
"""

import argparse
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONTRACT = ROOT.parent / 'shared' / 'compute-api' / 'endpoints.json'
TARGET = ROOT / 'tests' / 'data' / 'api_contract.json'

_ACTION = re.compile(r'\(([\w-]+) Action\)')
_PLACEHOLDER = re.compile(r'\{[^}]*\}')


def key(method, path, action=None):
    """``'POST /servers/{}/action os-stop'``: placeholders unnamed, no trailing slash."""
    path = _PLACEHOLDER.sub('{}', path).rstrip('/') or '/'
    return ' '.join(part for part in (method, path, action) if part)


def codes(endpoints):
    table = {}
    for endpoint in endpoints:
        action = None
        if endpoint['path'].endswith('/action'):
            match = _ACTION.search(endpoint['title'])
            if not match:
                continue
            action = match.group(1)
        entry = table.setdefault(key(endpoint['method'], endpoint['path'], action),
                                 {'normal': [], 'errors': [], 'bounded': []})
        for kind in ('normal', 'errors'):
            entry[kind] = sorted(set(entry[kind]) | set(endpoint.get(kind) or []))
        for param in endpoint.get('request') or []:
            if param['in'] in ('body', 'query') and (
                    param.get('min_version') or param.get('max_version')):
                bounded = [param['in'], param['name'], _version(param.get('min_version')),
                           _version(param.get('max_version'))]
                if bounded not in entry['bounded']:
                    entry['bounded'].append(bounded)
    return dict(sorted(table.items()))


def _version(number):
    """The contract writes microversions as JSON numbers, so 2.1 may mean 2.1 or
    2.10 (2.3 or 2.30, ...): keep every reading, lowest first."""
    if number is None:
        return None
    text = repr(number)
    major, _, minor = text.partition('.')
    readings = ['%s.%d' % (major, int(minor))]
    if len(minor) == 1:
        readings.append('%s.%d' % (major, int(minor) * 10))
    return readings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('contract', nargs='?', type=pathlib.Path, default=CONTRACT)
    source = parser.parse_args(argv).contract
    table = codes(json.loads(source.read_text()))
    lines = ['  %s: %s' % (json.dumps(name), json.dumps(entry)) for name, entry in table.items()]
    TARGET.write_text('{\n' + ',\n'.join(lines) + '\n}\n')
    print('wrote %s (%d operations)' % (TARGET, len(table)))


if __name__ == '__main__':
    main()
