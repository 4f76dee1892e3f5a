"""Extensions (``/extensions``) as the API shows them: same namespace, date and
empty links for every one."""

_NAMESPACE = 'http://docs.openstack.org/compute/ext/fake_xml'
_UPDATED = '2014-12-03T00:00:00Z'


def extension(alias, name, description):
    return {'alias': alias, 'name': name, 'description': description, 'links': [],
            'namespace': _NAMESPACE, 'updated': _UPDATED}
