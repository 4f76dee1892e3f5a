"""nova-manage volume_attachment show / get_connector / refresh: exit codes and
output on SQLite databases written by nova-manage, Cinder the unit tier's
in-memory fake (the functional and e2e tiers have the real one)."""

import json
import sqlite3
import uuid

import pytest

from nova.volume import cinder as cinder_client
from tests.unit.volume.fake_cinder import FakeCinder

MISSING = '11111111-2222-3333-4444-555555555555'


@pytest.fixture
def attached(deployment, monkeypatch):
    """A stopped instance on host1 in cell1 with volume ``vol`` attached (Cinder too)."""
    fake = FakeCinder()
    monkeypatch.setattr(cinder_client, 'get_client', fake.client)
    deployment.setup_cells()
    instance = deployment.add_instance(host='host1')
    volume = fake.add_volume()
    attachment = fake.client().attachment_create(volume, instance, {'host': 'host1'})
    fake.client().attachment_complete(attachment['id'])
    [[cell_id]] = deployment.api_rows("SELECT id FROM cell_mappings WHERE name = 'cell1'")
    with sqlite3.connect(deployment.api_db) as db:
        db.execute("INSERT INTO instance_mappings (instance_uuid, cell_id, project_id,"
                   " queued_for_delete, created_at) VALUES (?, ?, 'project', 0,"
                   " '2024-01-01 00:00:00')", (instance, cell_id))
    with sqlite3.connect(deployment.main_db) as db:
        db.execute("UPDATE instances SET vm_state = 'stopped', locked = 0 WHERE uuid = ?",
                   (instance,))
        db.execute("INSERT INTO block_device_mapping (uuid, instance_uuid, volume_id,"
                   " attachment_id, device_name, source_type, destination_type,"
                   " connection_info, deleted, created_at) VALUES (?, ?, ?, ?, '/dev/vdb',"
                   " 'volume', 'volume', ?, 0, '2024-01-01 00:00:00')",
                   (str(uuid.uuid4()), instance, volume, attachment['id'],
                    json.dumps({'driver_volume_type': 'rbd', 'data': {'name': 'old'}})))
    return {'instance': instance, 'volume': volume, 'attachment': attachment['id'],
            'cinder': fake}


def _bdm_row(deployment, volume):
    with sqlite3.connect(deployment.main_db) as db:
        return db.execute('SELECT attachment_id, connection_info FROM block_device_mapping'
                          ' WHERE volume_id = ?', (volume,)).fetchone()


def test_show(deployment, attached):
    code, out = deployment.run('volume_attachment', 'show', attached['instance'],
                               attached['volume'], '--json')
    assert code == 0, out
    shown = json.loads(out)
    assert shown['attachment_id'] == attached['attachment']
    assert shown['device_name'] == '/dev/vdb' and shown['volume_id'] == attached['volume']
    code, out = deployment.run('volume_attachment', 'show', attached['instance'],
                               attached['volume'], '--connection_info', '--json')
    assert code == 0 and json.loads(out)['data'] == {'name': 'old'}
    code, out = deployment.run('volume_attachment', 'show', attached['instance'],
                               attached['volume'])
    assert code == 0 and attached['attachment'] in out and '| Field' in out
    assert deployment.run('volume_attachment', 'show', MISSING, attached['volume'])[0] == 2
    assert deployment.run('volume_attachment', 'show', attached['instance'], MISSING)[0] == 3


def test_get_connector(deployment):
    code, out = deployment.run('volume_attachment', 'get_connector', '--json')
    assert code == 0, out
    connector = json.loads(out)
    assert connector['host'] and connector['os_type'] == 'linux'


def test_refresh_exit_codes(deployment, attached, tmp_path):
    run = lambda *argv: deployment.run('volume_attachment', 'refresh', *argv)[0]  # noqa: E731
    ids = (attached['instance'], attached['volume'])
    assert run(*ids, str(tmp_path / 'none.json')) == 2
    bad = tmp_path / 'bad.json'
    bad.write_text('not json')
    assert run(*ids, str(bad)) == 3
    connector = tmp_path / 'connector.json'
    connector.write_text(json.dumps({'host': 'host2', 'ip': '192.0.2.7'}))
    assert run(MISSING, attached['volume'], str(connector)) == 4
    assert run(attached['instance'], MISSING, str(connector)) == 6
    assert run(*ids, str(connector)) == 7  # the connector is of another host
    with sqlite3.connect(deployment.main_db) as db:
        db.execute("UPDATE instances SET vm_state = 'active' WHERE uuid = ?", (ids[0],))
    assert run(*ids, str(connector)) == 5
    assert _bdm_row(deployment, attached['volume'])[0] == attached['attachment']


def test_refresh_replaces_the_attachment(deployment, attached, tmp_path):
    connector = tmp_path / 'connector.json'
    connector.write_text(json.dumps({'host': 'host1', 'ip': '192.0.2.7'}))
    code, out = deployment.run('volume_attachment', 'refresh', attached['instance'],
                               attached['volume'], str(connector))
    assert code == 0, out
    cinder = attached['cinder']
    [(new_id, new)] = cinder.attachments.items()
    assert new_id != attached['attachment'] and new['status'] == 'attached'
    assert new['connector']['ip'] == '192.0.2.7'
    attachment_id, info = _bdm_row(deployment, attached['volume'])
    assert attachment_id == new_id
    assert json.loads(info)['data']['name'] == 'volumes/volume-%s' % attached['volume']
    with sqlite3.connect(deployment.main_db) as db:
        assert db.execute('SELECT locked FROM instances WHERE uuid = ?',
                          (attached['instance'],)).fetchone() == (0,)
