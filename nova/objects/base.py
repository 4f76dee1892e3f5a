"""Base classes for the project's versioned objects.

Objects are the only way services other than conductor reach the database:
their ``remotable`` methods run locally when ``indirection_api`` is unset and
are forwarded to conductor over RPC when it is set (as in nova-compute).
"""

import contextlib

from oslo_utils import timeutils
from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exc
from oslo_versionedobjects import fields as ovo_fields

from nova import objects


remotable = ovo_base.remotable


class NovaObjectRegistry(ovo_base.VersionedObjectRegistry):
    notification_classes = []

    def registration_hook(self, cls, index):
        # Expose the newest version of each class as nova.objects.<Name> so
        # callers never import object modules directly.
        version = versionutils.convert_version_to_tuple(cls.VERSION)
        current = getattr(objects, cls.obj_name(), None)
        if current is None or version >= versionutils.convert_version_to_tuple(
                current.VERSION):
            setattr(objects, cls.obj_name(), cls)

    @classmethod
    def register_notification(cls, notification_cls):
        cls.register_if(False)(notification_cls)
        cls.notification_classes.append(notification_cls)
        return notification_cls


class NovaObject(ovo_base.VersionedObject):
    """Base of every object; serialised under the ``nova_object`` namespace."""

    OBJ_SERIAL_NAMESPACE = 'nova_object'
    OBJ_PROJECT_NAMESPACE = 'nova'

    def obj_reset_changes(self, fields=None, recursive=False):
        super().obj_reset_changes(fields, recursive=recursive)

    @contextlib.contextmanager
    def obj_alternate_context(self, context):
        original = self._context
        self._context = context
        try:
            yield
        finally:
            self._context = original

    @contextlib.contextmanager
    def obj_as_admin(self):
        """Temporarily elevate this object's context, e.g. to save bookkeeping fields."""
        if self._context is None:
            raise ovo_exc.OrphanedObjectError(method='obj_as_admin', objtype=self.obj_name())
        original = self._context
        self._context = original.elevated()
        try:
            yield
        finally:
            self._context = original

    def obj_to_primitive_safe(self, target_version=None):
        return self.obj_to_primitive(target_version=target_version)


class NovaPersistentObject(object):
    """Mixin for objects backed by a soft-deletable table row."""

    fields = {
        'created_at': ovo_fields.DateTimeField(nullable=True),
        'updated_at': ovo_fields.DateTimeField(nullable=True),
        'deleted_at': ovo_fields.DateTimeField(nullable=True),
        'deleted': ovo_fields.BooleanField(default=False),
    }


class NovaTimestampObject(object):
    """Mixin for API-database objects that have timestamps but no soft delete."""

    fields = {
        'created_at': ovo_fields.DateTimeField(nullable=True),
        'updated_at': ovo_fields.DateTimeField(nullable=True),
    }


class NovaObjectDictCompat(ovo_base.VersionedObjectDictCompat):
    def __iter__(self):
        for name in self.obj_fields:
            if self.obj_attr_is_set(name) or name in self.obj_extra_fields:
                yield name

    def keys(self):
        return list(self)


class ObjectListBase(ovo_base.ObjectListBase):
    # Lists are versioned with their members; children map is built per list.
    pass


class NovaObjectSerializer(ovo_base.VersionedObjectSerializer):
    """Serialises objects for RPC and backports them through conductor if needed."""

    OBJ_BASE_CLASS = NovaObject

    @property
    def conductor(self):
        if not hasattr(self, '_conductor'):
            from nova.conductor import api as conductor_api
            self._conductor = conductor_api.API()
        return self._conductor

    def _process_object(self, context, objprim):
        try:
            return super()._process_object(context, objprim)
        except ovo_exc.IncompatibleObjectVersion:
            # We are older than the sender: ask conductor (which knows every
            # version) to backport the object to what we understand.
            objname = objprim['nova_object.name']
            version_manifest = ovo_base.obj_tree_get_versions(objname)
            primitive = self.conductor.object_backport_versions(
                context, objprim, version_manifest)
            return super()._process_object(context, primitive)


def obj_to_primitive(obj):
    """Recursively turn objects (and lists/dicts of them) into plain Python values."""
    if isinstance(obj, ObjectListBase):
        return [obj_to_primitive(x) for x in obj]
    if isinstance(obj, NovaObject):
        return {key: obj_to_primitive(getattr(obj, key))
                for key in obj.obj_fields if obj.obj_attr_is_set(key)}
    if isinstance(obj, (list, tuple, set)):
        return [obj_to_primitive(x) for x in obj]
    if isinstance(obj, dict):
        return {k: obj_to_primitive(v) for k, v in obj.items()}
    return obj


def datetime_arg(value):
    """A datetime argument of a remotable method, as the method body needs it.

    Over the bus a datetime argument arrives as an ISO 8601 string; called
    locally it is still a datetime. Either way the database wants naive UTC.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    return timeutils.normalize_time(value)


def obj_make_list(context, list_obj, item_cls, db_list, **extra_args):
    """Fill ``list_obj`` with ``item_cls`` objects built from DB rows."""
    list_obj.objects = []
    for db_item in db_list:
        item = item_cls._from_db_object(context, item_cls(), db_item, **extra_args)
        list_obj.objects.append(item)
    list_obj._context = context
    list_obj.obj_reset_changes()
    return list_obj


def api_db_transaction(context):
    """One API-database transaction around several objects' writes.

    Object methods opened inside it join it, so related rows (a build
    request with its spec and mapping) commit together or not at all.
    """
    from nova.db.api import engine as api_engine
    return api_engine.context_manager.writer.using(context)


def get_attrname(name):
    """Name of the attribute where ovo stores a field's value."""
    return '_obj_' + name
