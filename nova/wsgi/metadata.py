"""WSGI entry point of the metadata API: ``nova.wsgi.metadata:application``.

For uwsgi, gunicorn or mod_wsgi, configured like the compute API's entry
point (``OS_NOVA_CONFIG_FILES``, else nova.conf and nova-api.conf in
``OS_NOVA_CONFIG_DIR``, default /etc/nova); the server's own command line
is never parsed as ours.
"""

import threading

from nova.wsgi import osapi_compute

_lock = threading.Lock()
_app = None


def init_application(configure=True):
    """Parse config once (unless ``configure`` is False), set up logging, return the app."""
    return osapi_compute.init_application('metadata', configure=configure)


def __getattr__(name):
    """Build ``application`` on first access, so importing this module stays cheap."""
    global _app
    if name != 'application':
        raise AttributeError(name)
    with _lock:
        if _app is None:
            _app = init_application()
        return _app
