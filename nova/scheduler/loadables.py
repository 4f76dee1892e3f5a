"""Find filter and weigher classes: by dotted name, or every one in a package.

Config lists either classes (``pkg.module.ClassName``) or callables that
return classes (``nova.scheduler.filters.all_filters``), as upstream does.
"""

import importlib
import inspect
import pkgutil

from oslo_utils import importutils

from nova import exception


def classes_in_package(package_name, base_class):
    """Every concrete subclass of ``base_class`` defined in ``package_name``'s modules."""
    package = importlib.import_module(package_name)
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith('_'):
            continue
        module = importlib.import_module('%s.%s' % (package_name, info.name))
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if (issubclass(obj, base_class) and obj is not base_class and
                    obj.__module__ == module.__name__ and
                    not getattr(obj, 'abstract', False) and
                    not obj.__name__.startswith('_')):
                found.append(obj)
    return found


def get_matching_classes(names, base_class):
    """Resolve each dotted name to a class, or call it for a list of classes."""
    classes = []
    for name in names:
        try:
            obj = importutils.import_class(name)
        except (ImportError, ValueError, AttributeError) as exc:
            raise exception.ClassNotFound(class_name=name, exception=exc)
        if inspect.isclass(obj):
            candidates = [obj]
        elif callable(obj):
            candidates = list(obj())
        else:
            raise exception.ClassNotFound(class_name=name, exception='not a class')
        for cls in candidates:
            if not (inspect.isclass(cls) and issubclass(cls, base_class)):
                raise exception.ClassNotFound(class_name=name,
                                              exception='%r is not a %s' % (
                                                  cls, base_class.__name__))
            if cls not in classes:
                classes.append(cls)
    return classes
