"""Stable identity of the compute node a host runs.

The node's UUID is written once to ``<state_path>/compute_id`` and read on
every start, so a restarted (or reinstalled-with-state) nova-compute keeps the
same compute node record and Placement resource provider.
"""

import os

from oslo_log import log as logging
from oslo_utils import uuidutils

import nova.conf
from nova import exception

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

COMPUTE_ID_FILE = 'compute_id'


def _id_file():
    return os.path.join(CONF.state_path, COMPUTE_ID_FILE)


def read_local_node_uuid():
    """The stored node UUID, or None if this host has not picked one yet."""
    path = _id_file()
    try:
        with open(path) as f:
            value = f.read().strip()
    except FileNotFoundError:
        return None
    if not uuidutils.is_uuid_like(value):
        raise exception.InvalidNodeConfiguration(
            reason='%s does not contain a UUID: %r' % (path, value))
    return value


def write_local_node_uuid(node_uuid):
    path = _id_file()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(node_uuid + '\n')
    os.replace(tmp, path)
    LOG.info('Wrote compute node identity %s to %s', node_uuid, path)


def get_local_node_uuid():
    """Read the node UUID, creating and persisting a new one on first start."""
    node_uuid = read_local_node_uuid()
    if node_uuid is None:
        node_uuid = uuidutils.generate_uuid()
        write_local_node_uuid(node_uuid)
    return node_uuid
