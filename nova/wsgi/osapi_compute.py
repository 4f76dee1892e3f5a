"""WSGI entry point of the compute API: ``nova.wsgi.osapi_compute:application``.

For uwsgi, gunicorn or mod_wsgi.  Configuration comes from the files named
in ``OS_NOVA_CONFIG_FILES`` (separated by ';'), else ``nova.conf`` and
``nova-api.conf`` in ``OS_NOVA_CONFIG_DIR`` (default /etc/nova).  The
server's own command line is never parsed as ours.
"""

import os
import threading

from oslo_log import log as logging

import nova.conf
from nova import config

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_lock = threading.Lock()
_app = None
_configured = False


def _config_files():
    files = os.environ.get('OS_NOVA_CONFIG_FILES')
    if files:
        return [f.strip() for f in files.split(';') if f.strip()]
    directory = os.environ.get('OS_NOVA_CONFIG_DIR', '/etc/nova')
    return [os.path.join(directory, name) for name in ('nova.conf', 'nova-api.conf')
            if os.path.exists(os.path.join(directory, name))]


def init_application(name='osapi_compute', configure=True):
    """Parse config once (unless ``configure`` is False), set up logging, return the app."""
    global _configured
    from nova.api.openstack import wsgi_app
    if configure and not _configured:
        config.parse_args(['nova-api-wsgi'], default_config_files=_config_files())
        logging.setup(CONF, 'nova')
        _configured = True
    wsgi_app.init_services()
    return wsgi_app.load_app(name)


def __getattr__(name):
    """Build ``application`` on first access, so importing this module stays cheap."""
    global _app
    if name != 'application':
        raise AttributeError(name)
    with _lock:
        if _app is None:
            _app = init_application()
        return _app
