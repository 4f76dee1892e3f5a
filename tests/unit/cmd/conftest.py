"""Run ``nova-manage``/``nova-status`` in-process against SQLite files in tmp_path."""

import os
import sqlite3
import uuid

import pytest

from tests.fixtures import manage_cli

CONF_TEMPLATE = """[DEFAULT]
transport_url = {transport_url}
[database]
connection = sqlite:///{main}
max_retries = 0
[api_database]
connection = sqlite:///{api}
max_retries = 0
"""


class Deployment:
    """A nova.conf and the paths of its databases, plus ways to seed them."""

    def __init__(self, tmp_path, capsys, transport_url='rabbit://guest:secret@127.0.0.1:5672/'):
        self.tmp_path = tmp_path
        self.capsys = capsys
        self.main_db = tmp_path / 'nova.db'
        self.api_db = tmp_path / 'nova_api.db'
        self.conf_path = tmp_path / 'nova.conf'
        self.write_conf(transport_url)

    def write_conf(self, transport_url='rabbit://guest:secret@127.0.0.1:5672/', extra=''):
        self.conf_path.write_text(CONF_TEMPLATE.format(
            transport_url=transport_url, main=self.main_db, api=self.api_db) + extra)

    def run(self, *argv):
        """(exit code, stdout) of ``nova-manage --config-file <conf> argv...``."""
        return manage_cli.run_manage(self.capsys, self.conf_path, *argv)

    def setup_cells(self):
        """api_db sync + simple_cell_setup: cell0 and cell1 with schemas."""
        assert self.run('api_db', 'sync')[0] == 0
        code, out = self.run('cell_v2', 'simple_cell_setup')
        assert code == 1, out  # no compute host yet
        return self.cell_uuid('cell1')

    def cell_uuid(self, name):
        with sqlite3.connect(self.api_db) as db:
            row = db.execute('SELECT uuid FROM cell_mappings WHERE name = ?', (name,)).fetchone()
        return row[0] if row else None

    def add_compute_node(self, host, db_path=None):
        with sqlite3.connect(db_path or self.main_db) as db:
            db.execute(
                "INSERT INTO compute_nodes (uuid, host, hypervisor_hostname, vcpus, memory_mb,"
                " local_gb, vcpus_used, memory_mb_used, local_gb_used, hypervisor_type,"
                " hypervisor_version, cpu_info, deleted, mapped, created_at,"
                " cpu_allocation_ratio, ram_allocation_ratio, disk_allocation_ratio)"
                " VALUES (?, ?, ?, 1, 512, 1, 0, 0, 0, 'fake', 1, '{}', 0, 0,"
                " '2024-01-01 00:00:00', 1.0, 1.0, 1.0)",
                (str(uuid.uuid4()), host, host))

    def add_instance(self, host='host1', deleted=False, db_path=None):
        instance_uuid = str(uuid.uuid4())
        with sqlite3.connect(db_path or self.main_db) as db:
            cursor = db.execute(
                "INSERT INTO instances (uuid, host, project_id, user_id, deleted, created_at)"
                " VALUES (?, ?, 'project', 'user', 0, '2024-01-01 00:00:00')",
                (instance_uuid, host))
            if deleted:
                db.execute('UPDATE instances SET deleted = id, deleted_at = created_at'
                           ' WHERE id = ?', (cursor.lastrowid,))
        return instance_uuid

    def remove_instance_row(self, instance_uuid, db_path=None):
        with sqlite3.connect(db_path or self.main_db) as db:
            db.execute('DELETE FROM instances WHERE uuid = ?', (instance_uuid,))

    def api_rows(self, sql, *params):
        with sqlite3.connect(self.api_db) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture
def deployment(tmp_path, capsys):
    yield Deployment(tmp_path, capsys)
    manage_cli.forget_process_state()


@pytest.fixture
def venv_bin():
    """Directory holding the installed console scripts of this interpreter's venv."""
    import sys
    return os.path.dirname(sys.executable)
