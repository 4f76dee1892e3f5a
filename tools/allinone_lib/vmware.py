"""``--virt vmware``: nova-compute drives a simulated vCenter (tools/vcsim).

The simulator runs as the ``nova-vcsim`` process of the state directory, its
datastores under ``<state>/vcsim``; nova.conf gets the ``[vmware]`` block an
operator writes for a real vCenter, verifying the simulator's certificate
with ``ca_file``. A small sparse VMDK (qemu-img) is uploaded to Glance as
``cirros-vmdk`` with the VMware image properties.
"""

import importlib
import os
import subprocess
import sys

from tools import vcsim
from tools.allinone_lib import procs
from tools.allinone_lib import resources

NAME = 'nova-vcsim'
IMAGE_NAME = 'cirros-vmdk'
IMAGE_PROPERTIES = {'vmware_disktype': 'sparse', 'vmware_adaptertype': 'lsiLogic',
                    'vmware_ostype': 'otherLinux64Guest'}

CONF_SECTION = """
[vmware]
host_ip = 127.0.0.1
host_port = {port}
host_username = {username}
host_password = {password}
ca_file = {ca_file}
cluster_name = {cluster}
datastore_regex = .*
"""


def simulator(state):
    return vcsim.Simulator(state.port('vcsim'), state.sub('vcsim'))


def ensure_pyvmomi(say):
    """The driver's vSphere binding (the project's ``vmware`` extra); added on demand."""
    try:
        importlib.import_module('pyVmomi')
    except ImportError:
        say('installing pyvmomi into %s' % sys.prefix)
        subprocess.run([sys.executable, '-m', 'pip', 'install', '-q',
                        '--disable-pip-version-check', 'pyvmomi>=8.0'], check=True)


def start(state, say):
    """Build (once) and start the simulator; wait until it serves."""
    ensure_pyvmomi(say)
    sim = simulator(state)
    binary = vcsim.ensure_binary(log=say)
    if procs.running_pid(state, NAME):
        return sim
    os.makedirs(sim.state_dir, exist_ok=True)
    if os.path.exists(sim.cert_file):
        os.unlink(sim.cert_file)
    pid, _ = procs.start(state, NAME, sim.command(binary), env=sim.environment(),
                         marker=binary)
    vcsim.wait_serving(sim.url, 60, alive=lambda: procs.running_pid(state, NAME) == pid,
                       cert_file=sim.cert_file)
    say('vCenter simulator (cluster %s) on %s' % (vcsim.CLUSTER, sim.url))
    return sim


def conf_section(state):
    sim = simulator(state)
    return CONF_SECTION.format(port=sim.port, username=vcsim.USERNAME,
                               password=vcsim.PASSWORD, ca_file=sim.cert_file,
                               cluster=vcsim.CLUSTER)


def ensure_image(state, token):
    """Upload the VMDK test image once; return its id."""
    path = state.sub('%s.vmdk' % IMAGE_NAME)
    if not os.path.exists(path):
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'vmdk', '-o',
                        'subformat=monolithicSparse', path, '64M'], check=True)
    base = state.url('glance') + '/v2/images'
    images = resources._request('GET', base + '?name=' + IMAGE_NAME, token)['images']
    image = next((i for i in images if i['status'] == 'active'), None)
    if image is not None:
        return image['id']
    body = dict(name=IMAGE_NAME, disk_format='vmdk', container_format='bare',
                visibility='public', **IMAGE_PROPERTIES)
    image = resources._request('POST', base, token, body=body)
    with open(path, 'rb') as f:
        resources._request('PUT', '%s/%s/file' % (base, image['id']), token, data=f.read(),
                           content_type='application/octet-stream')
    return image['id']
