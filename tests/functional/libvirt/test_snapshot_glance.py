"""Snapshots to the real Glance (started as tools/allinone starts it, no
Keystone), and spawning from a Glance image through the driver's download
path (checksum verified, cached in _base)."""

import json
import subprocess

import requests

from nova.compute import power_state
from nova.compute import task_states
from nova import context
from nova import objects
from nova.image import glance
from tests.fixtures.waiting import wait_for
from tests.functional.image.test_glance_client import conf  # noqa: F401 (fixture)
from tests.functional.image.test_glance_client import glance_url  # noqa: F401 (fixture)
from tests.functional.libvirt.test_driver_lifecycle import console
from tests.functional.libvirt.test_driver_lifecycle import drv  # noqa: F401 (fixture)
from tests.functional.libvirt.test_driver_lifecycle import make_instance
from tests.functional.libvirt.test_driver_lifecycle import READY
from tests.functional.libvirt.test_driver_lifecycle import spawn
from tests.functional.libvirt.test_driver_lifecycle import wait_marker
from tests.fixtures.guest_image import guest_image  # noqa: F401 (fixture)
from tests.fixtures.libvirt_host import guest_host  # noqa: F401 (fixture)


def _ctxt():
    return context.RequestContext('demo', 'demo-project', auth_token='demo:demo-project')


def _queued_image(url, name):
    resp = requests.post(url + '/v2/images', json={'name': name}, timeout=30)
    assert resp.status_code == 201, resp.text
    return resp.json()['id']


def _snapshot(drv, instance, image_id):  # noqa: F811
    states = []

    def update_task_state(task_state, expected_state=None):
        states.append((task_state, expected_state))

    drv.snapshot(_ctxt(), instance, image_id, update_task_state)
    assert states == [(task_states.IMAGE_PENDING_UPLOAD, None),
                      (task_states.IMAGE_UPLOADING, task_states.IMAGE_PENDING_UPLOAD)]


def _qemu_info(path):
    return json.loads(subprocess.run(['qemu-img', 'info', '--output=json', path],
                                     capture_output=True, check=True, text=True).stdout)


def test_live_snapshot_uploads_and_boots_from_glance(conf, glance_url, drv, tmp_path):  # noqa: F811
    instance = spawn(drv)
    wait_marker(drv, instance)
    image_id = _queued_image(glance_url, 'snap-live')
    _snapshot(drv, instance, image_id)
    assert drv.get_info(instance).state == power_state.RUNNING  # never stopped
    meta = glance.API().get(_ctxt(), image_id)
    assert meta['status'] == 'active'
    assert meta['disk_format'] == 'qcow2' and meta['container_format'] == 'bare'
    data = tmp_path / 'snap.qcow2'
    glance.API().download(_ctxt(), image_id, dst_path=str(data))
    info = _qemu_info(str(data))
    assert info['format'] == 'qcow2' and 'backing-filename' not in info
    assert info['virtual-size'] == 1024 ** 3

    # Boot the snapshot through the Glance download path of the image cache.
    drv.image_fetch = None
    second = make_instance(image_ref=image_id)
    drv.created.append(second)
    drv.spawn(_ctxt(), second, objects.ImageMeta.from_dict(meta), [], None, None)
    wait_for(lambda: READY in console(drv, second), timeout=150,
             what='the snapshot booting to its ready marker')


def test_cold_snapshot_of_a_stopped_guest(conf, glance_url, drv):  # noqa: F811
    instance = spawn(drv)
    drv.power_off(instance)
    image_id = _queued_image(glance_url, 'snap-cold')
    _snapshot(drv, instance, image_id)
    assert drv.get_info(instance).state == power_state.SHUTDOWN  # left as it was
    assert glance.API().get(_ctxt(), image_id)['status'] == 'active'
