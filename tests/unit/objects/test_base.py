"""The objects' base: every registered object is versioned, and no object changes
without a version bump; objects used through conductor (the indirection API) make
the round trip nova-compute's make; the serializer, the registry and the helpers.

The fingerprints below hash each object's fields and remotable method
signatures (oslo.versionedobjects' ObjectVersionChecker). When this test
fails because you changed an object: bump its VERSION, add a line to its
version history comment, teach ``obj_make_compatible`` to drop what you
added, and then update the fingerprint here.
"""

import datetime

import pytest
from oslo_utils import uuidutils
from oslo_utils import versionutils
from oslo_versionedobjects import exception as ovo_exc
from oslo_versionedobjects import fixture

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import base

objects.register_all()

EXPECTED_FINGERPRINTS = {
    'Aggregate': '1.0-f315cb68906307ca2d1cca84d4753585',
    'AggregateList': '1.0-d1740032203e567bd1231096cebeff02',
    'BlockDeviceMapping': '1.0-650d96a7ebea69b607052807ae1cbc21',
    'BlockDeviceMappingList': '1.0-dcb2db57f8c534e81641064bdcbe95f6',
    'BuildRequest': '1.0-077dee42bed93f8a5b62be77657b7152',
    'BuildRequestList': '1.0-cd95608eccb89fbc702c8b52f38ec738',
    'CellMapping': '1.1-5d652928000a5bc369d79d5bde7e497d',
    'CellMappingList': '1.1-496ef79bb2ab41041fff8bcb57996352',
    'ComputeNode': '1.0-020c648f414e93dcc8a0b9fc87681ae3',
    'ComputeNodeList': '1.0-5b93d8a251f2b11b1fe05143bd2e116c',
    'ConsoleAuthToken': '1.0-4b015d2bbe47fcf0f20b4e3cfe1b8ba4',
    'Destination': '1.0-3b440d29459e2c98987ad5b25ad1cb2c',
    'Flavor': '1.0-63e1f748d18fce1d91f114dece8a2a59',
    'FlavorList': '1.0-52b5928600e7ca973aa4fc1e46f3934c',
    'HostMapping': '1.0-1a3390a696792a552ab7bd31a77ba9ac',
    'HostMappingList': '1.0-18ac2bfb8c1eb5545bed856da58a79bc',
    'ImageMeta': '1.0-5546d3b1165a1a903b9edf4e3b57a303',
    'ImageMetaProps': '1.2-7ef48646854a8e6af9566e90a402bd51',
    'Instance': '1.1-a564293a4c90ff161845c74caa9d1110',
    'InstanceAction': '1.0-f9f293e526b66fca0d05c3b3a2d13914',
    'InstanceActionEvent': '1.0-4ad8aa7c739e05625b2b35140df03da0',
    'InstanceActionEventList': '1.0-13d92fb953030cdbfee56481756e02be',
    'InstanceActionList': '1.0-a2b2fb6006b47c27076d3a1d48baa759',
    'InstanceExternalEvent': '1.0-1ec57351a9851c1eb43ccd90662d6dd0',
    'InstanceFault': '1.0-7ef01f16f1084ad1304a513d6d410a38',
    'InstanceFaultList': '1.0-6bb72de2872fe49ded5eb937a93f2451',
    'InstanceGroup': '1.0-316c86908bc6ddabe8e2922c165b74e1',
    'InstanceGroupList': '1.0-90f8f1a445552bb3bbc9fa1ae7da27d4',
    'InstanceInfoCache': '1.0-cd8b96fefe0fc8d4d337243ba0bf0e1e',
    'InstanceList': '1.1-0a9aa1b7d4caec0f07f633ea064645a5',
    'InstanceMapping': '1.0-bc82537ca278eb17e11f7a89ad170984',
    'InstanceMappingList': '1.0-ee638619aa3d8a82a59c0c83bfa64d78',
    'KeyPair': '1.0-f153a8cb12b9d5ce8a4af644f5989ce4',
    'KeyPairList': '1.0-94aad3ac5c938eef4b5e83da0212f506',
    'Migration': '1.1-6ed577d80e71e9b9d88b8cf358af3781',
    'MigrationList': '1.0-983a9c29d4f1e747ce719dc9063b729b',
    'NetworkMetadata': '1.0-2cb8d21b34f87b0261d3e1d1ae5cf218',
    'Quotas': '1.0-4c31590fe1e9c2777abf6890dd05465b',
    'RequestSpec': '1.0-fed0be41b4d636400b9a1c917ac0a319',
    'SchedulerLimits': '1.0-6e8369a41aa2cbcbe468ab69bc4f5c50',
    'SchedulerRetries': '1.0-3c9c8b16143ebbb6ad7030e999d14cc0',
    'SecurityGroup': '1.0-c529aa6fccf564768e8331aca6b8a534',
    'Selection': '1.0-ef7facf998b9d941fea040ad885707e1',
    'SecurityGroupList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Service': '1.0-9908aed6c94c0148e08fb4091da56031',
    'ServiceList': '1.0-049c9f4d79355bc8446207d81700f4f2',
    'Tag': '1.0-8b8d7d5b48887651a0e01241672e2963',
    'TagList': '1.0-55231bdb671ecf7641d6a2e9109b5d8e',
    'TaskLog': '1.0-2d329b379ee6c122b707822840cdcc66',
    'TaskLogList': '1.0-cc8cce1af8a283b9d28b55fcd682e777',
    'TrustedCerts': '1.0-cedf7a960e7f3d61903116a520346642',
}

# Older versions each object can be backported to, with a primitive builder.
# (Objects at 1.0 have no older version; add cases as objects evolve.)
BACKPORT_CASES = {
    'CellMapping': ('1.0', lambda: objects.CellMapping(
        uuid='6a3a3b2c-6a0b-4b1a-9c8e-2a4a7d1b1a11', name='c', transport_url='none:///',
        database_connection='sqlite://', disabled=True)),
    'ImageMetaProps': ('1.0', lambda: objects.ImageMetaProps.from_dict(
        {'vmware_disktype': 'sparse', 'img_linked_clone': 'false', 'hw_disk_bus': 'scsi'})),
    'Instance': ('1.0', lambda: objects.Instance(
        uuid='6a3a3b2c-6a0b-4b1a-9c8e-2a4a7d1b1a12',
        trusted_certs=objects.TrustedCerts(ids=['cert-1']))),
    'Migration': ('1.0', lambda: objects.Migration(
        id=1, uuid='6a3a3b2c-6a0b-4b1a-9c8e-2a4a7d1b1a13', migration_type='live-migration',
        status='running')),
}


def _registry():
    return base.NovaObjectRegistry.obj_classes()


def test_every_object_is_fingerprinted():
    checker = fixture.ObjectVersionChecker(_registry())
    expected, actual = checker.test_hashes(EXPECTED_FINGERPRINTS)
    assert expected == actual, (
        'Objects changed without a version bump (or a new object lacks a fingerprint); '
        'see the module docstring.')


@pytest.mark.parametrize('name', sorted(_registry()))
def test_object_has_a_version(name):
    for cls in _registry()[name]:
        versionutils.convert_version_to_tuple(cls.VERSION)
        assert cls.VERSION.count('.') == 1


def test_backport_cases_cover_every_object_past_1_0():
    newer = {name for name, classes in _registry().items() if classes[0].VERSION != '1.0'
             and not name.endswith('List')}
    assert newer <= set(BACKPORT_CASES)


@pytest.mark.parametrize('name', sorted(BACKPORT_CASES))
def test_backport_to_older_version(name):
    version, build = BACKPORT_CASES[name]
    obj = build()
    primitive = obj.obj_to_primitive(target_version=version)
    assert primitive['nova_object.version'] == version
    older_fields = set(primitive['nova_object.data'])
    assert older_fields <= set(type(obj).fields)


def test_relationships_are_consistent():
    """Every child object a parent embeds must be registered (so it can be sent)."""
    registry = _registry()
    for name, classes in registry.items():
        for field in classes[0].fields.values():
            obj_name = getattr(getattr(field, '_type', None), '_obj_name', None)
            if obj_name is None and hasattr(field, '_type') and hasattr(field._type,
                                                                        '_element_type'):
                obj_name = getattr(field._type._element_type._type, '_obj_name', None)
            if obj_name:
                assert obj_name in registry, '%s refers to unknown %s' % (name, obj_name)


def test_instance_save_through_conductor(ctxt, indirection):
    base.NovaObject.indirection_api = None
    flavor = objects.Flavor(ctxt, name='m1', flavorid='1', memory_mb=64, vcpus=1, root_gb=1,
                            ephemeral_gb=0, swap=0)
    flavor.create()
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p',
                            user_id='u', vm_state='building', task_state='spawning',
                            host='compute1', flavor=flavor, metadata={'a': '1'},
                            system_metadata={})
    inst.create()
    base.NovaObject.indirection_api = indirection

    # As nova-compute does: fetch, change state, save with an expected task state.
    remote = objects.Instance.get_by_uuid(ctxt, inst.uuid, expected_attrs=['flavor'])
    assert remote.flavor.name == 'm1'
    remote.vm_state = 'active'
    remote.task_state = None
    remote.power_state = 1
    remote.metadata['b'] = '2'
    remote.info_cache.network_info = [{'id': 'port-1'}]
    remote.save(expected_task_state=['spawning'])
    assert ('Instance', 'save') in indirection.calls
    assert not remote.obj_what_changed()
    assert remote.updated_at is not None

    base.NovaObject.indirection_api = None
    local = objects.Instance.get_by_uuid(ctxt, inst.uuid)
    assert (local.vm_state, local.task_state, local.power_state) == ('active', None, 1)
    assert local.metadata == {'a': '1', 'b': '2'}
    assert local.info_cache.network_info[0]['id'] == 'port-1'

    # A stale expectation fails remotely and the caller sees the real error.
    base.NovaObject.indirection_api = indirection
    remote.task_state = 'rebooting'
    with pytest.raises(exception.UnexpectedTaskStateError):
        remote.save(expected_task_state=['spawning'])


def test_action_events_through_conductor(ctxt, indirection):
    base.NovaObject.indirection_api = None
    inst = objects.Instance(ctxt, uuid=uuidutils.generate_uuid(), project_id='p',
                            user_id='u')
    inst.create()
    objects.InstanceAction.action_start(ctxt, inst.uuid, 'create')
    base.NovaObject.indirection_api = indirection
    objects.InstanceActionEvent.event_start(ctxt, inst.uuid, 'compute_build_and_run')
    objects.InstanceActionEvent.event_finish(ctxt, inst.uuid, 'compute_build_and_run')
    action = objects.InstanceAction.get_by_request_id(ctxt, inst.uuid, ctxt.request_id)
    events = objects.InstanceActionEventList.get_by_action(ctxt, action.id)
    assert [(e.event, e.result) for e in events] == [('compute_build_and_run', 'Success')]
    fault = objects.InstanceFault(ctxt, instance_uuid=inst.uuid, code=500, message='x')
    fault.create()
    assert fault.id and ('InstanceFault', 'create') in indirection.calls


def test_the_registry_exposes_the_newest_version_of_a_class():
    registry = base.NovaObjectRegistry()

    @base.NovaObjectRegistry.register_if(False)
    class Probe(base.NovaObject):
        VERSION = '1.3'
        fields = {}

    @base.NovaObjectRegistry.register_if(False)
    class OlderProbe(base.NovaObject):
        VERSION = '1.1'
        fields = {}

        @classmethod
        def obj_name(cls):
            return 'Probe'

    try:
        registry.registration_hook(Probe, 0)
        registry.registration_hook(OlderProbe, 1)
        assert objects.Probe is Probe
    finally:
        del objects.Probe


def test_as_admin_elevates_for_the_block_only(ctxt):
    user = nova_context.RequestContext(user_id='u', project_id='p')
    flavor = objects.Flavor(user)
    with flavor.obj_as_admin():
        assert flavor._context.is_admin
    assert flavor._context is user and not user.is_admin
    with pytest.raises(ovo_exc.OrphanedObjectError):
        with objects.Flavor().obj_as_admin():
            pass


def test_alternate_context_is_restored_after_an_error():
    first = nova_context.RequestContext(user_id='u', project_id='p')
    other = nova_context.RequestContext(user_id='v', project_id='q')
    flavor = objects.Flavor(first)
    with pytest.raises(RuntimeError):
        with flavor.obj_alternate_context(other):
            assert flavor._context is other
            raise RuntimeError()
    assert flavor._context is first


def test_obj_to_primitive_walks_lists_dicts_and_unset_fields():
    tag = objects.Tag(tag='blue')  # resource_id left unset: not in the result
    tags = objects.TagList(objects=[tag])
    assert base.obj_to_primitive(tags) == [{'tag': 'blue'}]
    assert base.obj_to_primitive({'a': (tag,), 'n': 1}) == {'a': [{'tag': 'blue'}], 'n': 1}


@pytest.mark.parametrize('value, expected', [
    (None, None),
    ('2026-01-02T03:04:05Z', datetime.datetime(2026, 1, 2, 3, 4, 5)),
    ('2026-01-02T05:04:05+02:00', datetime.datetime(2026, 1, 2, 3, 4, 5)),
    (datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
     datetime.datetime(2026, 1, 2, 3, 4, 5)),
])
def test_datetime_arguments_become_naive_utc(value, expected):
    assert base.datetime_arg(value) == expected


def test_dict_compat_iterates_only_set_fields():
    keypair = objects.KeyPair(name='k', user_id='u')
    assert set(keypair) == {'name', 'user_id'}
    assert sorted(keypair.keys()) == ['name', 'user_id']


def test_an_object_newer_than_ours_is_backported_by_conductor(monkeypatch):
    context = nova_context.RequestContext(user_id='u', project_id='p')
    primitive = objects.Tag(tag='blue', resource_id='r').obj_to_primitive()
    primitive['nova_object.version'] = '1.99'
    asked = []

    class Conductor(object):
        def object_backport_versions(self, context, objprim, manifest):
            asked.append((objprim['nova_object.version'], manifest['Tag']))
            return dict(objprim, **{'nova_object.version': objects.Tag.VERSION})

    serializer = base.NovaObjectSerializer()
    serializer._conductor = Conductor()
    tag = serializer.deserialize_entity(context, primitive)
    assert tag.tag == 'blue' and asked == [('1.99', objects.Tag.VERSION)]
