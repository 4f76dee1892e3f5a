"""What a fresh cloud needs before a first boot: the usual flavors and an image."""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request

from tools.allinone_lib import keystone

FLAVORS = (  # (id, name, vcpus, ram MB, disk GB)
    ('1', 'm1.tiny', 1, 512, 1),
    ('2', 'm1.small', 1, 2048, 20),
    ('3', 'm1.medium', 2, 4096, 40),
    ('4', 'm1.large', 4, 8192, 80),
    ('5', 'm1.xlarge', 8, 16384, 160),
)
IMAGE_NAME = 'cirros-fake'
# The project's bootable test guest (tools/guest_image), for --virt libvirt.
TEST_GUEST_IMAGE = 'nova-test-guest'
READY_MARKER = 'nova-test-guest: ready'


def admin_token(state):
    """A token the services accept as the admin user's."""
    if state.noauth:
        return 'admin:admin'  # noauth2: "user:project"
    return keystone.Client(state.url('keystone'), state.settings['password']).token


def _request(method, url, token, body=None, data=None, content_type='application/json',
             headers=None):
    if body is not None:
        data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header('Content-Type', content_type)
    req.add_header('X-Auth-Token', token)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    with urllib.request.urlopen(req, timeout=60) as resp:
        text = resp.read()
    return json.loads(text) if text else None


def create_flavors(state, token):
    """Create m1.tiny ... m1.xlarge through the compute API; return the names created."""
    base = state.url('nova-api') + '/v2.1'
    created = []
    for flavor_id, name, vcpus, ram, disk in FLAVORS:
        try:
            _request('GET', '%s/flavors/%s' % (base, flavor_id), token)
            continue
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                raise
        _request('POST', base + '/flavors', token, body={'flavor': {
            'id': flavor_id, 'name': name, 'vcpus': vcpus, 'ram': ram, 'disk': disk}})
        created.append(name)
    return created


def make_image_file(state):
    """A tiny qcow2 (raw if qemu-img is missing); returns (path, disk_format)."""
    qemu_img = shutil.which('qemu-img')
    if qemu_img:
        path = state.sub('%s.qcow2' % IMAGE_NAME)
        if not os.path.exists(path):
            subprocess.run([qemu_img, 'create', '-q', '-f', 'qcow2', '-o', 'cluster_size=512',
                            path, '16M'], check=True)
        return path, 'qcow2'
    path = state.sub('%s.raw' % IMAGE_NAME)
    if not os.path.exists(path):
        with open(path, 'wb') as f:
            f.write(b'\0' * 4096)
    return path, 'raw'


def ensure_image(state, token):
    """Upload the small test image once; return its id."""
    path, disk_format = make_image_file(state)
    return upload_image(state, token, IMAGE_NAME, path, disk_format)


def ensure_test_guest_image(state, token):
    """Build (or reuse from the cache) the nova-test-guest image and upload it once."""
    from tools.guest_image import build
    path = build.ensure_image(log=lambda msg: print('allinone: %s' % msg, flush=True))
    return upload_image(state, token, TEST_GUEST_IMAGE, path, 'qcow2')


def upload_image(state, token, name, path, disk_format):
    """Create image ``name`` from ``path`` unless an active one exists; return its id."""
    base = state.url('glance') + '/v2/images'
    images = _request('GET', base + '?name=' + name, token)['images']
    image = next((i for i in images if i['status'] == 'active'), None) or \
        next((i for i in images if i['status'] == 'queued'), None)
    if image is None:
        image = _request('POST', base, token, body={
            'name': name, 'disk_format': disk_format, 'container_format': 'bare',
            'visibility': 'public', 'min_disk': 0, 'min_ram': 0})
    if image['status'] != 'active':
        with open(path, 'rb') as f:
            data = f.read()
        _request('PUT', '%s/%s/file' % (base, image['id']), token, data=data,
                 content_type='application/octet-stream')
    return image['id']


def smoke_boot(state, token, image_id, timeout=120, console_marker=False):
    """Boot a server from the image, wait for ACTIVE, delete it; return timings.

    Proves the whole path (API, conductor, scheduler, Placement, compute) works
    and leaves nothing behind. With ``console_marker`` (a real guest: the
    libvirt instances_path) it also waits for the guest's ready line in the
    console log. Returns
    {'ACTIVE': seconds[, 'console marker': seconds]}; raises RuntimeError with
    the server's fault.
    """
    import time
    base = state.url('nova-api') + '/v2.1'
    started = time.monotonic()
    server = _request('POST', base + '/servers', token, body={'server': {
        'name': 'allinone-smoke', 'imageRef': image_id, 'flavorRef': '1',
        'networks': 'none'}}, headers={'OpenStack-API-Version': 'compute 2.37'})['server']
    url = '%s/servers/%s' % (base, server['id'])
    timings = {}
    try:
        while True:
            shown = _request('GET', url, token)['server']
            if shown['status'] == 'ACTIVE':
                timings['ACTIVE'] = time.monotonic() - started
                break
            if shown['status'] == 'ERROR' or time.monotonic() - started > timeout:
                raise RuntimeError('test server %s is %s: %s' % (
                    server['id'], shown['status'],
                    (shown.get('fault') or {}).get('message', 'no fault recorded')))
            time.sleep(0.1)
        if console_marker:
            log_path = os.path.join(console_marker, server['id'], 'console.log')
            timings['console marker'] = _wait_console_marker(url, token, started, timeout,
                                                             log_path)
        return timings
    finally:
        _request('DELETE', url, token)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                _request('GET', url, token)
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    break
                raise
            time.sleep(0.1)


def _wait_console_marker(server_url, token, started, timeout, log_path=None):
    """Seconds from the POST until the guest's ready line shows in its console log.

    Reads it through os-getConsoleOutput; while that action is not routed
    (404 on the action, not on the server) it reads ``log_path``, the file the
    libvirt driver has virtlogd write, instead.
    """
    import time
    deadline = time.monotonic() + timeout
    output = ''
    use_api = True
    while time.monotonic() < deadline:
        if use_api:
            try:
                output = _request('POST', server_url + '/action', token,
                                  body={'os-getConsoleOutput': {'length': 50}})['output'] or ''
            except urllib.error.HTTPError as exc:
                if exc.code not in (404, 405, 501) or log_path is None:
                    raise
                _request('GET', server_url, token)  # a 404 here: the server is gone
                use_api = False
        if not use_api:
            try:
                with open(log_path, errors='replace') as f:
                    output = f.read()
            except FileNotFoundError:
                output = ''
        if READY_MARKER in output:
            return time.monotonic() - started
        time.sleep(0.5)
    raise RuntimeError('the guest did not print %r within %ss; console log ends: %s'
                       % (READY_MARKER, timeout, output[-500:]))
