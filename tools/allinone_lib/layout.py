"""Where the all-in-one keeps things, and the choices made at the first ``up``.

Everything lives under one state directory; ``allinone.json`` in it records
the choices (auth mode, ports, database and vhost names) so that later
``up``/``status``/``down`` calls act on the same deployment.
"""

import hashlib
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_STATE_DIR = os.path.join(REPO, '.allinone')
CACHE_DIR = os.environ.get('NOVA_ALLINONE_CACHE') or os.path.join(
    os.path.expanduser('~'), '.cache', 'nova-allinone')
SERVICES_VENV = os.path.join(CACHE_DIR, 'services-venv')

PASSWORD = 'password'
REGION = 'RegionOne'
BASE_PORTS = {'keystone': 5000, 'placement': 8778, 'glance': 9292, 'nova-api': 8774,
              'nova-metadata': 8775, 'nova-novncproxy': 6080, 'nova-spicehtml5proxy': 6082,
              'nova-serialproxy': 6083, 'vcsim': 8989, 'neutron': 9696,
              'cinder': 8776, 'ceph-mon': 3300, 'ceph-mon-v1': 6789}


class State(object):
    """The state directory and the settings stored in it."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.settings_file = os.path.join(self.path, 'allinone.json')
        self.settings = {}
        if os.path.exists(self.settings_file):
            with open(self.settings_file) as f:
                self.settings = json.load(f)

    # --- paths ---------------------------------------------------------
    def sub(self, *parts):
        return os.path.join(self.path, *parts)

    @property
    def log_dir(self):
        return self.sub('logs')

    @property
    def run_dir(self):
        return self.sub('run')

    @property
    def nova_conf(self):
        return self.sub('nova.conf')

    @property
    def openrc(self):
        return self.sub('openrc')

    def exists(self):
        return os.path.exists(self.settings_file)

    def makedirs(self):
        for path in (self.path, self.log_dir, self.run_dir):
            os.makedirs(path, exist_ok=True)

    # --- settings ------------------------------------------------------
    def initialise(self, noauth, virt, port_offset):
        """Fill in settings on the first ``up``; later calls keep the stored ones."""
        if self.settings:
            return self.settings
        default = self.path == os.path.abspath(DEFAULT_STATE_DIR)
        # A second deployment (tests, another checkout) gets its own names so
        # it never shares databases or queues with the default one.
        tag = '' if default else hashlib.sha1(self.path.encode()).hexdigest()[:8]
        prefix = 'allinone_%s' % (tag + '_' if tag else '')
        self.settings = {
            'noauth': bool(noauth),
            'virt': virt,
            'ports': {name: port + port_offset for name, port in BASE_PORTS.items()},
            'db_prefix': prefix,
            'vhost': 'nova-allinone' + ('-' + tag if tag else ''),
            'password': PASSWORD,
        }
        self.save()
        return self.settings

    def save(self):
        self.makedirs()
        with open(self.settings_file, 'w') as f:
            json.dump(self.settings, f, indent=2, sort_keys=True)

    def port(self, service):
        ports = self.settings['ports']
        if service not in ports:
            # A state directory from before ``service`` existed: same offset.
            offset = ports['nova-api'] - BASE_PORTS['nova-api']
            ports[service] = BASE_PORTS[service] + offset
            self.save()
        return ports[service]

    def url(self, service):
        return 'http://127.0.0.1:%d' % self.port(service)

    @property
    def noauth(self):
        return self.settings.get('noauth', False)
