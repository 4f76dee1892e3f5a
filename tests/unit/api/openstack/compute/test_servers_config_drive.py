"""POST /servers ``config_drive`` and ``user_data`` reach the instance; show gives them back."""

import base64

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.api.openstack.compute.test_servers import _body, _boot, _error, cloud  # noqa: F401

USER_DATA = base64.b64encode(b'#cloud-config\nhostname: demo\n').decode()


def _instance(server_id):
    """The Instance the build request carries (what conductor will create)."""
    ctxt = nova_context.get_admin_context()
    return objects.BuildRequest.get_by_instance_uuid(ctxt, server_id).instance


@pytest.mark.parametrize('value,stored', [(True, 'True'), ('true', 'True'), ('1', 'True'),
                                          (False, ''), ('no', '')])
def test_config_drive_values_reach_instance(admin, cloud, value, stored):  # noqa: F811
    server = _boot(admin, config_drive=value)
    assert _instance(server['id']).config_drive == stored
    shown = admin.get('/servers/%s' % server['id']).json_body_or_none['server']
    assert shown['config_drive'] == stored


def test_config_drive_absent_shows_empty_string(admin, cloud):  # noqa: F811
    server = _boot(admin)
    shown = admin.get('/servers/%s' % server['id']).json_body_or_none['server']
    assert shown['config_drive'] == ''
    listed = admin.get('/servers/detail').json_body_or_none['servers'][0]
    assert listed['config_drive'] == ''


@pytest.mark.parametrize('value', ['', 'maybe', 2, None])
def test_config_drive_bad_values_are_400(admin, cloud, value):  # noqa: F811
    message = _error(admin.post('/servers', _body(config_drive=value)), 400)
    assert message.startswith('Invalid input for field/attribute config_drive.')


def test_user_data_reaches_instance_and_admin_show(admin, cloud):  # noqa: F811
    server = _boot(admin, user_data=USER_DATA)
    assert _instance(server['id']).user_data == USER_DATA
    shown = admin.get('/servers/%s' % server['id'], version='2.3').json_body_or_none
    assert shown['server']['OS-EXT-SRV-ATTR:user_data'] == USER_DATA


def test_user_data_limits(admin, cloud):  # noqa: F811
    largest = base64.b64encode(b'x' * 49149).decode()  # 65532 characters
    assert len(largest) <= 65535
    _boot(admin, user_data=largest)
    too_long = base64.b64encode(b'x' * 49152).decode()  # 65536 characters
    message = _error(admin.post('/servers', _body(user_data=too_long)), 400)
    assert message.startswith('Invalid input for field/attribute user_data.')
    _error(admin.post('/servers', _body(user_data='@@not-base64@@')), 400)


def test_boot_roles_recorded_for_vendor_data(admin, cloud):  # noqa: F811
    server = _boot(admin)
    roles = _instance(server['id']).system_metadata['boot_roles'].split(',')
    assert 'admin' in roles
