"""Build the compute API WSGI application from api-paste.ini (once per process)."""

import os
import pathlib
import threading

from oslo_log import log as logging
from paste import deploy

import nova.conf
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_SOURCE_PASTE = pathlib.Path(__file__).resolve().parents[3] / 'etc' / 'nova' / 'api-paste.ini'
_init_lock = threading.Lock()
_services_ready = False


def find_paste_config():
    """``[wsgi] api_paste_config`` as given, next to the config files, or the shipped one."""
    name = CONF.wsgi.api_paste_config
    if os.path.isabs(name) and os.path.exists(name):
        return name
    found = CONF.find_file(name)
    if found:
        return os.path.abspath(found)
    if os.path.exists(name):
        return os.path.abspath(name)
    if _SOURCE_PASTE.exists():
        return str(_SOURCE_PASTE)
    raise exception.ConfigNotFound(path=name)


def load_app(name='osapi_compute', paste_file=None):
    """The paste application ``name`` (the CONF must already be parsed)."""
    paste_file = paste_file or find_paste_config()
    LOG.debug('Loading app %s from %s', name, paste_file)
    return deploy.loadapp('config:%s' % paste_file, name=name)


def init_services():
    """Things every API process needs once: objects, policy, DB engines are lazy."""
    global _services_ready
    with _init_lock:
        if _services_ready:
            return
        from sqlalchemy import orm

        from nova.db.api import models as api_models  # noqa: F401
        from nova.db.main import models as main_models  # noqa: F401
        from nova.notifications import base as notifications
        from nova import objects
        from nova import policy
        objects.register_all()
        notifications.install()
        # Model backrefs (Flavors.extra_specs...) exist only once mappers are
        # configured; do it at start-up rather than on some first query.
        orm.configure_mappers()
        policy.init()
        _services_ready = True
