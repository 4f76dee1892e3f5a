"""A small REST client for the cloud under test: Keystone v3 password auth,
the service catalog, and JSON calls to its compute, image and identity APIs."""

import json
import re
import shlex
import time
import urllib.error
import urllib.request


class HTTPError(Exception):
    def __init__(self, method, url, code, body):
        super().__init__('%s %s: HTTP %s %s' % (method, url, code, body[:300]))
        self.code = code
        self.body = body


def read_openrc(path):
    """The ``export NAME=value`` lines of an openrc as a dict."""
    env = {}
    with open(path) as f:
        for line in f:
            match = re.match(r'\s*export\s+(\w+)=(.*)$', line)
            if match:
                value = shlex.split(match.group(2))
                env[match.group(1)] = value[0] if value else ''
    return env


class Cloud(object):
    """Admin access to a Keystone-backed cloud, as its openrc describes it."""

    def __init__(self, openrc):
        self.env = read_openrc(openrc)
        if self.env.get('OS_AUTH_TYPE') not in (None, 'password', 'v3password'):
            raise SystemExit('tempest: %s is not a Keystone password openrc; tempest needs '
                             'Keystone (bring the cloud up without --noauth)' % openrc)
        self.auth_url = self.env['OS_AUTH_URL'].rstrip('/')
        if not self.auth_url.endswith('/v3'):
            self.auth_url += '/v3'
        self.username = self.env['OS_USERNAME']
        self.password = self.env['OS_PASSWORD']
        self.project_name = self.env['OS_PROJECT_NAME']
        self.user_domain = self.env.get('OS_USER_DOMAIN_NAME', 'Default')
        self.project_domain = self.env.get('OS_PROJECT_DOMAIN_NAME', 'Default')
        self.region = self.env.get('OS_REGION_NAME', 'RegionOne')
        self._token = None
        self.catalog = []
        self.project_id = None

    # --- transport -------------------------------------------------------
    def raw(self, method, url, body=None, data=None, headers=None, token=True,
            content_type='application/json', timeout=120):
        """(status, headers, text) of one request; never raises for an HTTP status."""
        if body is not None:
            data = json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header('Content-Type', content_type)
        req.add_header('Accept', 'application/json')
        if token:
            req.add_header('X-Auth-Token', self.token)
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers), resp.read().decode('utf-8', 'replace')
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode('utf-8', 'replace')

    def call(self, method, url, body=None, ok=None, **kwargs):
        """The decoded JSON answer; HTTPError unless the status is 2xx (or in ``ok``)."""
        status, _headers, text = self.raw(method, url, body=body, **kwargs)
        if not (200 <= status < 300 or status in (ok or ())):
            raise HTTPError(method, url, status, text)
        try:
            return json.loads(text) if text else None
        except ValueError:
            return text

    # --- identity --------------------------------------------------------
    @property
    def token(self):
        if self._token is None:
            self.authenticate()
        return self._token

    def authenticate(self):
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': self.username, 'password': self.password,
                'domain': {'name': self.user_domain}}}},
            'scope': {'project': {'name': self.project_name,
                                  'domain': {'name': self.project_domain}}}}}
        for attempt in range(5):
            status, headers, text = self.raw('POST', self.auth_url + '/auth/tokens', body=body,
                                             token=False)
            if status == 201:
                break
            if status < 500 or attempt == 4:
                raise HTTPError('POST', self.auth_url + '/auth/tokens', status, text)
            time.sleep(1 + attempt)
        self._token = headers.get('X-Subject-Token') or headers.get('x-subject-token')
        data = json.loads(text)['token']
        self.catalog = data.get('catalog', [])
        self.project_id = data['project']['id']

    def endpoint(self, service_type, interface='public'):
        """The URL of ``service_type`` in this region, or None when the catalog lacks it."""
        self.token  # noqa: B018 - the catalog comes with the token
        for service in self.catalog:
            if service['type'] != service_type:
                continue
            for endpoint in service['endpoints']:
                if endpoint['interface'] == interface and endpoint.get(
                        'region_id', endpoint.get('region')) in (self.region, None):
                    return endpoint['url'].rstrip('/')
        return None

    def service_types(self):
        self.token  # noqa: B018
        return {service['type'] for service in self.catalog if service['endpoints']}

    @property
    def compute(self):
        return self.endpoint('compute')

    @property
    def image(self):
        return self.endpoint('image')

    def compute_call(self, method, path, body=None, version=None, **kwargs):
        headers = dict(kwargs.pop('headers', None) or {})
        if version:
            headers['OpenStack-API-Version'] = 'compute %s' % version
        return self.call(method, self.compute + path, body=body, headers=headers, **kwargs)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to report (the route probe checks them), not to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(predicate, timeout, interval=0.5, what='condition'):
    """Poll ``predicate`` until it returns a truthy value; TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError('timed out after %ss waiting for %s' % (timeout, what))
        time.sleep(interval)

