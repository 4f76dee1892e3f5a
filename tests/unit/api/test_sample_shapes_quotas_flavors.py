"""Quota sets, quota classes, limits, server groups, flavors (and their access
lists, extra specs and management), keypairs and the version documents,
compared by shape with upstream's samples at each microversion they change.

Each case is one response sample; the sample's folder picks the microversion.
A second pass asks for the newest shape of each operation at ``latest``.
"""

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.conftest import Client
from tests.unit.api import seeded
from tests.unit.api import shapes

FOLDERS = [
    'os-quota-sets', 'os-quota-class-sets', 'limits', 'os-server-groups', 'flavors',
    'flavor-manage', 'flavor-access', 'flavor-extra-specs', 'os-keypairs', 'versions',
]

# A private flavor whose access list names the project of upstream's sample
# requests (listed, then removed), and one nobody has been given yet (added).
# (Not '10': the flavor-manage samples create that one.)
SHARED_FLAVOR = '20'
UNSHARED_FLAVOR = '21'
SAMPLE_TENANT = 'fake_tenant'

C = shapes.Case


def _quota_cases(folder):
    base = 'os-quota-sets/' + (folder + '/' if folder else '')
    project = '/os-quota-sets/{os-quota-sets}'
    return [
        C(base + 'quotas-show-get-resp.json', 'GET', project),
        C(base + 'quotas-show-defaults-get-resp.json', 'GET', project + '/defaults'),
        C(base + 'quotas-show-detail-get-resp.json', 'GET', project + '/detail'),
        C(base + 'quotas-update-post-resp.json', 'PUT', project,
          base + 'quotas-update-post-req.json'),
        C(base + 'quotas-update-force-post-resp.json', 'PUT', project,
          base + 'quotas-update-force-post-req.json'),
        C(base + 'user-quotas-show-get-resp.json', 'GET', project + '?user_id=owner'),
        C(base + 'user-quotas-update-post-resp.json', 'PUT', project + '?user_id=owner',
          base + 'user-quotas-update-post-req.json'),
    ]


def _quota_class_cases(folder):
    base = 'os-quota-class-sets/' + (folder + '/' if folder else '')
    path = '/os-quota-class-sets/{os-quota-class-sets}'
    return [
        C(base + 'quota-classes-show-get-resp.json', 'GET', path),
        C(base + 'quota-classes-update-post-resp.json', 'PUT', path,
          base + 'quota-classes-update-post-req.json'),
    ]


def _server_group_cases(folder):
    base = 'os-server-groups/' + (folder + '/' if folder else '')
    return [
        C(base + 'server-groups-get-resp.json', 'GET', '/os-server-groups/{os-server-groups}',
          persona='member'),
        C(base + 'server-groups-list-resp.json', 'GET', '/os-server-groups', persona='member'),
        C(base + 'server-groups-post-resp.json', 'POST', '/os-server-groups',
          base + 'server-groups-post-req.json', persona='member'),
    ]


def _flavor_cases(folder):
    base = 'flavors/' + (folder + '/' if folder else '')
    return [
        C(base + 'flavor-get-resp.json', 'GET', '/flavors/{flavors}', persona='member'),
        C(base + 'flavors-list-resp.json', 'GET', '/flavors', persona='member'),
        C(base + 'flavors-detail-resp.json', 'GET', '/flavors/detail', persona='member'),
    ]


def _flavor_manage_cases(folder):
    base = 'flavor-manage/' + (folder + '/' if folder else '')
    cases = [C(base + 'flavor-create-post-resp.json', 'POST', '/flavors',
               base + 'flavor-create-post-req.json')]
    if folder:  # a flavor's description can be changed from 2.55 on
        cases.append(C(base + 'flavor-update-resp.json', 'PUT', '/flavors/{flavors}',
                       base + 'flavor-update-req.json'))
    return cases


def _keypair_cases(folder):
    base = 'os-keypairs/' + (folder + '/' if folder else '')
    # Before 2.10 a keypair is always the caller's own: the owner asks.
    creator = 'admin' if folder in ('v2.10', 'v2.35') else 'member'
    return [
        C(base + 'keypairs-get-resp.json', 'GET', '/os-keypairs/{os-keypairs}',
          persona='member'),
        C(base + 'keypairs-list-resp.json', 'GET', '/os-keypairs', persona='member'),
        C(base + 'keypairs-post-resp.json', 'POST', '/os-keypairs',
          base + 'keypairs-post-req.json', persona=creator),
        C(base + 'keypairs-import-post-resp.json', 'POST', '/os-keypairs',
          base + 'keypairs-import-post-req.json', persona=creator),
    ]


CASES = (
    [case for folder in ('', 'v2.36', 'v2.57') for case in _quota_cases(folder)]
    + [case for folder in ('', 'v2.50', 'v2.57') for case in _quota_class_cases(folder)]
    + [C('limits/limit-get-resp.json', 'GET', '/limits', persona='member')]
    + [C('limits/%s/limit-get-resp.json' % folder, 'GET', '/limits', persona='member')
       for folder in ('v2.36', 'v2.39', 'v2.57')]
    + [case for folder in ('', 'v2.13', 'v2.64') for case in _server_group_cases(folder)]
    + [case for folder in ('', 'v2.55', 'v2.61', 'v2.75', 'v2.102')
       for case in _flavor_cases(folder)]
    + [case for folder in ('', 'v2.55', 'v2.61', 'v2.75', 'v2.102')
       for case in _flavor_manage_cases(folder)]
    + [
        C('flavor-access/flavor-access-list-resp.json', 'GET',
          '/flavors/%s/os-flavor-access' % SHARED_FLAVOR),
        C('flavor-access/flavor-access-add-tenant-resp.json', 'POST',
          '/flavors/%s/action' % UNSHARED_FLAVOR,
          'flavor-access/flavor-access-add-tenant-req.json'),
        C('flavor-access/flavor-access-remove-tenant-resp.json', 'POST',
          '/flavors/%s/action' % SHARED_FLAVOR,
          'flavor-access/flavor-access-remove-tenant-req.json'),
    ]
    + [
        C('flavor-extra-specs/flavor-extra-specs-list-resp.json', 'GET',
          '/flavors/{flavors}/os-extra_specs', persona='member'),
        C('flavor-extra-specs/flavor-extra-specs-get-resp.json', 'GET',
          '/flavors/{flavors}/os-extra_specs/hw:numa_nodes', persona='member'),
        C('flavor-extra-specs/flavor-extra-specs-create-resp.json', 'POST',
          '/flavors/{flavors}/os-extra_specs',
          'flavor-extra-specs/flavor-extra-specs-create-req.json'),
        C('flavor-extra-specs/flavor-extra-specs-update-resp.json', 'PUT',
          '/flavors/{flavors}/os-extra_specs/hw:numa_nodes',
          'flavor-extra-specs/flavor-extra-specs-update-req.json'),
    ]
    + [case for folder in ('', 'v2.2', 'v2.10') for case in _keypair_cases(folder)]
    + [
        # Paging: a page as long as the limit links to the next one.
        C('os-keypairs/v2.35/keypairs-list-resp.json', 'GET', '/os-keypairs?limit=1',
          persona='member'),
        C('os-keypairs/v2.35/keypairs-list-user1-resp.json', 'GET',
          '/os-keypairs?user_id=owner'),
        C('os-keypairs/v2.35/keypairs-list-user2-resp.json', 'GET',
          '/os-keypairs?user_id=owner&limit=1'),
        C('os-keypairs/v2.35/keypairs-post-resp.json', 'POST', '/os-keypairs',
          'os-keypairs/v2.35/keypairs-post-req.json'),
        C('os-keypairs/v2.92/keypairs-import-post-resp.json', 'POST', '/os-keypairs',
          'os-keypairs/v2.92/keypairs-import-post-req.json'),
    ]
    + [
        C('versions/versions-get-resp.json', 'GET', '/', persona='member'),
        C('versions/v2-version-get-resp.json', 'GET', '/v2/', persona='member'),
        C('versions/v21-version-get-resp.json', 'GET', '/v2.1/', persona='member'),
    ]
)

WAIVED = {}

# Newest samples of operations a later microversion took away.
GONE_AT_LATEST = {
    # 2.92: keypairs are imported only, Nova no longer generates them.
    'os-keypairs/v2.35/keypairs-post-resp.json',
}


@pytest.fixture
def cloud(paste_app, max_version, seeded_ids):
    _seed_flavors()
    return Client(paste_app), seeded_ids


def _seed_flavors():
    """A second extra spec on the seeded flavor (the samples show one by key) and
    the two private flavors the access-list samples act on."""
    ctxt = nova_context.get_admin_context()
    flavor = objects.Flavor.get_by_flavor_id(ctxt, '1')
    flavor.extra_specs = dict(flavor.extra_specs, **{'hw:numa_nodes': '1'})
    flavor.save()
    for flavorid, projects in ((SHARED_FLAVOR, [SAMPLE_TENANT]), (UNSHARED_FLAVOR, [])):
        private = objects.Flavor(context=ctxt, flavorid=flavorid, name='private' + flavorid,
                                 memory_mb=1024, vcpus=2, root_gb=10, ephemeral_gb=0,
                                 swap=0, is_public=False, projects=projects)
        private.create()


def _case_id(case):
    return case.sample


def _expected_status(case, version=None):
    """200, but keypair creation answers 201 from 2.2 on."""
    version = version or shapes.version_of(case.sample)
    if case.path == '/os-keypairs' and case.method == 'POST' and version != '2.1':
        return 201
    return 200


def _assert_shape(client, case, ids, version=None):
    shapes.assert_matches(client, case, ids, version=version,
                          status=_expected_status(case, version))


@pytest.mark.parametrize('case', CASES, ids=_case_id)
def test_response_matches_sample(cloud, case):
    client, ids = cloud
    _assert_shape(client, case, ids)


def _newest_per_operation():
    """The case with the newest sample for each (method, path, sample name)."""
    newest = {}
    for case in CASES:
        key = (case.method, case.path, case.sample.rsplit('/', 1)[-1])
        version = tuple(int(part) for part in shapes.version_of(case.sample).split('.'))
        if key not in newest or version > newest[key][0]:
            newest[key] = (version, case)
    return [case for _, case in newest.values() if case.sample not in GONE_AT_LATEST]


@pytest.mark.parametrize('case', _newest_per_operation(), ids=_case_id)
def test_latest_matches_newest_sample(cloud, case):
    """``latest`` keeps the newest sample's shape: nothing later changed it."""
    client, ids = cloud
    _assert_shape(client, case, ids, version='latest')


# Operations without a response body: (method, path, microversion, status).
NO_BODY = [
    ('DELETE', '/flavors/{flavors}', '2.1', 202),
    ('DELETE', '/flavors/{flavors}/os-extra_specs/{os-extra_specs}', '2.1', 200),
    ('DELETE', '/os-keypairs/{os-keypairs}?user_id=owner', '2.10', 204),
    ('DELETE', '/os-quota-sets/{os-quota-sets}', '2.1', 202),
    ('DELETE', '/os-server-groups/{os-server-groups}', '2.1', 204),
]


@pytest.mark.parametrize('method,path,version,status', NO_BODY,
                         ids=['%s %s %s' % row[:3] for row in NO_BODY])
def test_bodiless_status(cloud, method, path, version, status):
    client, ids = cloud
    res = client.request(method, path.format_map(ids), version=version)
    assert res.status_int == status, res.body[:500]


@pytest.mark.parametrize('version,status', [('2.1', 202), ('2.2', 204)])
def test_keypair_delete_status_changes_at_2_2(cloud, version, status):
    client, ids = cloud
    token, headers = seeded.headers_for('member')
    res = client.delete('/os-keypairs/{os-keypairs}'.format_map(ids), version=version,
                        token=token, headers=headers)
    assert res.status_int == status, res.body[:500]


@pytest.mark.parametrize('version,status', [('2.6', 200), ('2.7', 409)])
def test_sharing_a_public_flavor_conflicts_from_2_7(cloud, version, status):
    client, ids = cloud
    res = client.post('/flavors/{flavors}/action'.format_map(ids), version=version,
                      body=shapes.load('flavor-access/v2.7/flavor-access-add-tenant-req.json'))
    assert res.status_int == status, res.body[:500]


@pytest.mark.parametrize('version,swap', [('2.74', ''), ('2.75', 0)])
def test_no_swap_reads_as_zero_from_2_75(cloud, version, swap):
    """A value change the key walk cannot see: no swap was "" before 2.75."""
    client, ids = cloud
    res = client.get('/flavors/{flavors}'.format_map(ids), version=version)
    assert res.json_body_or_none['flavor']['swap'] == swap


def test_every_response_sample_is_checked():
    assert shapes.unclaimed(FOLDERS, CASES, WAIVED) == []
