"""RequestSpec -> Placement query: amounts, extra specs, traits, aggregates."""

from urllib import parse

import pytest

from nova import objects
from nova.scheduler import utils
from tests.unit.scheduler import fakes


def _query(request):
    return dict(parse.parse_qsl(request.to_querystring()))


@pytest.mark.parametrize('kwargs, expected', [
    (dict(vcpus=2, memory_mb=2048, root_gb=20), {'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20}),
    (dict(root_gb=10, ephemeral_gb=5), {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 15}),
    # swap is in MB and rounds up to whole GB
    (dict(root_gb=10, swap=1), {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 11}),
    (dict(root_gb=10, swap=1024), {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 11}),
    (dict(root_gb=10, swap=1025), {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 12}),
    # volume-backed: the root disk is not local
    (dict(root_gb=10, ephemeral_gb=2, swap=512, is_bfv=True),
     {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 3}),
    (dict(root_gb=10, is_bfv=True), {'VCPU': 1, 'MEMORY_MB': 512}),
    (dict(root_gb=0), {'VCPU': 1, 'MEMORY_MB': 512}),
])
def test_resources_from_request_spec(kwargs, expected):
    request = utils.resources_from_request_spec(fakes.request_spec(**kwargs))
    assert request.unnumbered.resources == expected
    assert request.merged_resources() == expected


def test_extra_specs_override_add_and_zero_resources():
    spec = fakes.request_spec(vcpus=2, root_gb=10, extra_specs={
        'resources:VCPU': '4', 'resources:CUSTOM_MAGIC': '1', 'resources:DISK_GB': '0',
        'trait:HW_CPU_X86_AVX': 'required', 'trait:CUSTOM_SLOW': 'forbidden',
        'trait:CUSTOM_IGNORED': 'maybe', 'resources:MEMORY_MB': 'lots'})
    request = utils.resources_from_request_spec(spec)
    assert request.unnumbered.resources == {'VCPU': 4, 'MEMORY_MB': 512, 'CUSTOM_MAGIC': 1}
    query = _query(request)
    assert query['resources'] == 'CUSTOM_MAGIC:1,MEMORY_MB:512,VCPU:4'
    assert query['required'] == 'HW_CPU_X86_AVX,!CUSTOM_SLOW'


def test_numbered_groups_and_group_policy():
    spec = fakes.request_spec(extra_specs={
        'resources1:CUSTOM_A': '1', 'resources2:CUSTOM_B': '2', 'trait1:CUSTOM_T': 'required',
        'group_policy': 'isolate'})
    query = _query(utils.resources_from_request_spec(spec))
    assert query['resources1'] == 'CUSTOM_A:1'
    assert query['resources2'] == 'CUSTOM_B:2'
    assert query['required1'] == 'CUSTOM_T'
    assert query['group_policy'] == 'isolate'


def test_image_required_traits_and_destination_aggregates():
    spec = fakes.request_spec(image_props={'trait:CUSTOM_GPU': 'required'})
    spec.requested_destination = objects.Destination(host='h', aggregates=['a1,a2', 'a3'])
    request = utils.resources_from_request_spec(spec)
    query = parse.parse_qs(request.to_querystring())
    assert query['required'] == ['CUSTOM_GPU']
    assert query['member_of'] == ['in:a1,a2', 'in:a3']
