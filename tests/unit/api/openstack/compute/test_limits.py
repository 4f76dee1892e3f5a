"""``/limits``: absolute limits and usage per microversion."""

from tests.unit.api.conftest import sample


def test_limits(user, cell1, max_version):
    body = user.get('/limits').json_body_or_none
    expected = sample('limits/limit-get-resp.json')
    assert sorted(body['limits']['absolute']) == sorted(expected['limits']['absolute'])
    assert body['limits']['absolute']['maxTotalInstances'] == 10
    assert body['limits']['absolute']['totalInstancesUsed'] == 0
    for version in ('2.36', '2.39', '2.57'):
        got = user.get('/limits', version=version).json_body_or_none
        want = sample('limits/v%s/limit-get-resp.json' % version)
        assert sorted(got['limits']['absolute']) == sorted(want['limits']['absolute'])
