"""The /servers schemas per microversion: what each version added or dropped from a
create or update body, and which list queries it accepts."""

import pytest

from nova.api.openstack.compute.schemas import servers as schema
from nova.api.validation import validators
from nova import exception

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


def _valid(body_schema, server, **top):
    document = dict({'server': server}, **top)
    try:
        validators.SchemaValidator(body_schema).validate(document)
    except exception.ValidationError:
        return False
    return True


def _server(**values):
    return dict({'name': 'vm', 'flavorRef': '1', 'imageRef': IMAGE}, **values)


def test_name_and_flavor_are_required_and_unknown_keys_refused():
    assert _valid(schema.create, _server())
    assert not _valid(schema.create, {'flavorRef': '1'})
    assert not _valid(schema.create, {'name': 'vm'})
    assert not _valid(schema.create, _server(colour='blue'))
    assert not _valid(schema.create, _server(), unknown={})


def test_2_0_allows_what_2_1_refuses_in_names():
    assert _valid(schema.create_v20, _server(name=' spaced '))
    assert not _valid(schema.create, _server(name=' spaced '))


@pytest.mark.parametrize('key, value, before, since', [
    ('description', 'd', schema.create, schema.create_v219),
    ('tags', ['a', 'b'], schema.create_v242, schema.create_v252),
    ('trusted_image_certificates', ['c'], schema.create_v257, schema.create_v263),
    ('host', 'compute1', schema.create_v267, schema.create_v274),
    ('hostname', 'web-1', schema.create_v274, schema.create_v290),
])
def test_a_field_arrives_with_its_microversion(key, value, before, since):
    networks = {'networks': 'none'} if 'networks' in since['properties']['server'][
        'required'] else {}
    assert not _valid(before, _server(**{key: value}, **networks))
    assert _valid(since, _server(**{key: value}, **networks))


def test_personality_goes_at_2_57():
    files = [{'path': '/etc/motd', 'contents': 'aGk='}]
    assert _valid(schema.create_v252, _server(networks='none', personality=files))
    assert not _valid(schema.create_v257, _server(networks='none', personality=files))


def test_2_37_needs_networks_and_knows_none_and_auto():
    assert _valid(schema.create_v232, _server())
    assert not _valid(schema.create_v237, _server())
    assert _valid(schema.create_v237, _server(networks='auto'))
    assert not _valid(schema.create_v237, _server(networks='some'))
    assert not _valid(schema.create_v232, _server(networks='none'))


def test_device_tags_at_2_32_gone_until_2_42():
    tagged = [{'uuid': 'net', 'tag': 'nic1'}]
    assert not _valid(schema.create_v219, _server(networks=tagged))
    assert _valid(schema.create_v232, _server(networks=tagged))
    assert not _valid(schema.create_v237, _server(networks=tagged))
    assert _valid(schema.create_v242, _server(networks=tagged))
    assert not _valid(schema.create_v242, _server(networks=[{'uuid': 'n', 'tag': 'a/b'}]))


def test_hostnames_are_labels_until_2_94_then_fqdns():
    assert not _valid(schema.create_v290, _server(networks='none', hostname='a.example'))
    assert _valid(schema.create_v294, _server(networks='none', hostname='a.example'))
    assert not _valid(schema.create_v294, _server(networks='none', hostname='a_b'))


def test_server_tags_are_unique_short_and_without_commas():
    base = dict(networks='none')
    assert not _valid(schema.create_v252, _server(tags=['a', 'a'], **base))
    assert not _valid(schema.create_v252, _server(tags=['a,b'], **base))
    assert not _valid(schema.create_v252, _server(tags=['x' * 61], **base))
    assert not _valid(schema.create_v252, _server(tags=['t%d' % i for i in range(51)], **base))


@pytest.mark.parametrize('size, ok', [(1, True), ('10', True), (0, False), ('1.5', False),
                                      (2147483648, False)])
def test_volume_sizes(size, ok):
    bdm = [{'source_type': 'blank', 'destination_type': 'volume', 'volume_size': size}]
    assert _valid(schema.create, _server(block_device_mapping_v2=bdm)) == ok


def test_scheduler_hints_are_open_but_typed():
    good = {'group': IMAGE, 'same_host': [IMAGE], 'custom_filter_hint': 'x'}
    assert _valid(schema.create, _server(), **{'os:scheduler_hints': good})
    assert not _valid(schema.create, _server(),
                      **{'os:scheduler_hints': {'group': 'not-a-uuid'}})
    assert not _valid(schema.create, _server(),
                      **{'OS-SCH-HNT:scheduler_hints': {'cidr': '10.0.0.0/24'}})


def test_update_versions():
    assert not _valid(schema.update, {'description': 'd'})
    assert _valid(schema.update_v219, {'description': 'd'})
    assert _valid(schema.update_v2104, {'pinned_availability_zone': None})
    assert not _valid(schema.update_v294, {'pinned_availability_zone': None})
    assert not _valid(schema.update_v2104, {'pinned_availability_zone': ''})


def test_list_queries_grow_with_the_microversions():
    for params, added in ((schema.query_params_v226, 'not-tags-any'),
                          (schema.query_params_v266, 'changes-before'),
                          (schema.query_params_v273, 'locked')):
        assert added in params['properties']
    assert 'tags' not in schema.query_params['properties']
    assert 'changes-before' not in schema.query_params_v226['properties']
    assert schema.query_params['additionalProperties'] is True
