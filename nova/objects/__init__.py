"""Versioned objects. Call ``register_all()`` once at service start-up.

Registered classes appear as attributes of this package (``objects.Instance``),
so callers never import the object modules themselves. Every module of the
package except the plumbing ones defines objects, so registration imports them
all rather than keeping a list that drifts.
"""

import importlib
import pkgutil

_PLUMBING = {'base', 'fields'}


def register_all():
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _PLUMBING and not info.name.startswith('_'):
            importlib.import_module('%s.%s' % (__name__, info.name))
