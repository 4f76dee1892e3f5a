"""Instance listing sorts and pages the same on SQLite, MariaDB and PostgreSQL
(NULL ordering and markers included): `server list` depends on it."""

from oslo_utils import uuidutils

from nova import context as nova_context
from nova.db import migration
from nova import objects
from tests.fixtures import databases


def _make(ctxt, name, host):
    instance = objects.Instance(ctxt)
    instance.uuid = uuidutils.generate_uuid()
    instance.project_id = 'p1'
    instance.user_id = 'u1'
    instance.display_name = name
    instance.host = host
    instance.vm_state = 'active'
    instance.flavor = objects.Flavor(flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
                                     root_gb=1, ephemeral_gb=0, swap=0, id=1)
    instance.create()
    return instance


def test_sorting_and_paging(database_url):
    objects.register_all()
    with databases.use_databases(main_url=database_url):
        migration.db_sync(database='main')
        ctxt = nova_context.get_admin_context()
        made = [_make(ctxt, name, host) for name, host in
                [('b', 'h1'), ('a', None), ('c', 'h2'), ('d', None)]]
        listed = objects.InstanceList.get_by_filters(
            ctxt, {'deleted': False}, sort_keys=['host', 'display_name'],
            sort_dirs=['asc', 'asc'])
        assert [i.display_name for i in listed] == ['a', 'd', 'b', 'c']
        listed = objects.InstanceList.get_by_filters(
            ctxt, {'deleted': False}, sort_keys=['host', 'display_name'],
            sort_dirs=['desc', 'desc'])
        assert [i.display_name for i in listed] == ['c', 'b', 'd', 'a']
        first = objects.InstanceList.get_by_filters(
            ctxt, {'deleted': False}, limit=2, sort_keys=['host', 'display_name'],
            sort_dirs=['asc', 'asc'])
        rest = objects.InstanceList.get_by_filters(
            ctxt, {'deleted': False}, limit=2, marker=first[-1].uuid,
            sort_keys=['host', 'display_name'], sort_dirs=['asc', 'asc'])
        assert [i.display_name for i in first] + [i.display_name for i in rest] == \
            ['a', 'd', 'b', 'c']
        newest = objects.InstanceList.get_by_filters(ctxt, {'deleted': False},
                                                     sort_keys=['created_at', 'id'],
                                                     sort_dirs=['desc', 'desc'])
        assert [i.uuid for i in newest] == [i.uuid for i in reversed(made)]


def test_name_filter_is_a_regex(database_url):
    """``?name=^web`` anchors as upstream; a broken pattern matches literally, never a 500."""
    objects.register_all()
    with databases.use_databases(main_url=database_url):
        migration.db_sync(database='main')
        ctxt = nova_context.get_admin_context()
        for name in ('web-1', 'Web-2', 'db-web', 'a(b'):
            _make(ctxt, name, 'h1')

        def names(pattern):
            listed = objects.InstanceList.get_by_filters(
                ctxt, {'deleted': False, 'display_name': pattern},
                sort_keys=['display_name'], sort_dirs=['asc'])
            return sorted(i.display_name for i in listed)

        assert names('^web') == ['Web-2', 'web-1']
        assert names('web') == ['Web-2', 'db-web', 'web-1']
        assert names('-[12]$') == ['Web-2', 'web-1']
        assert names('a(b') == ['a(b']
