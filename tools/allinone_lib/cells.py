"""Cells beyond cell1 for the all-in-one (``up --cells N``), and fake nodes.

cell1 is the controller's: nova.conf's database and vhost, the one
nova-conductor (which is the super-conductor too) and the controller's
nova-compute. Each further cell k (2..N) is laid out as upstream lays out a
cell: its own database (``nova_cell<k>``), its own RabbitMQ vhost (its
``transport_url``), its own ``nova-cell<k>.conf``, its own nova-conductor
and a nova-compute of host ``<host>-cell<k>`` that talks only to that vhost.
The cell is mapped with ``nova-manage cell_v2 create_cell``, its schema made
with ``nova-manage db sync`` on its conf, and its compute is mapped to it by
``discover_hosts``. The API, scheduler and super-conductor above reach every
cell through the cell mappings.

``--fake-nodes M`` makes every nova-compute of a fake-driver cloud report M
nodes (each a compute node, hypervisor and resource provider), through
``python -m tools.allinone_lib.fake_nodes_compute`` (the fake driver's
``set_nodes`` before nova-compute's main).
"""

import os
import sys

from tools.allinone_lib import layout
from tools.allinone_lib import procs

FAKE_NODES_MODULE = 'tools.allinone_lib.fake_nodes_compute'


def count(state):
    return int(state.settings.get('cells') or 1)


def extra(state):
    """The numbers of the cells beyond cell1: [2, ..., N]."""
    return list(range(2, count(state) + 1))


def name(index):
    return 'cell%d' % index


def db_suffix(index):
    return 'nova_cell%d' % index


def vhost(state, index):
    return '%s-cell%d' % (state.settings['vhost'], index)


def conf_path(state, index):
    return state.sub('nova-cell%d.conf' % index)


def host(state, index):
    from tools.allinone_lib import nova
    return '%s-cell%d' % (nova.host_name(state), index)


def daemon_name(binary, index):
    return '%s-cell%d' % (binary, index)


def daemon_names(state):
    return [daemon_name(binary, index) for index in extra(state)
            for binary in ('nova-conductor', 'nova-compute')]


def fake_nodes(state):
    return int(state.settings.get('fake_nodes') or 0)


def compute_command(state, conf):
    """(cmd, marker) of a nova-compute on ``conf``: with fake nodes, the wrapper."""
    from tools.allinone_lib import nova
    nodes = fake_nodes(state)
    if nodes and state.settings.get('virt') == 'fake':
        return ([sys.executable, '-m', FAKE_NODES_MODULE, '--nodes', str(nodes),
                 '--config-file', conf], FAKE_NODES_MODULE)
    return [nova.python_bin('nova-compute'), '--config-file', conf], \
        nova.python_bin('nova-compute')


def write_configs(state):
    """nova-cell<k>.conf: nova.conf with the cell's host, vhost, database, state
    path and log directory in place of cell1's."""
    from tools.allinone_lib import nova
    with open(state.nova_conf) as f:
        base = f.read()
    urls = nova.database_urls(state)
    for index in extra(state):
        text = base
        replacements = {
            'host = %s\n' % nova.host_name(state): 'host = %s\n' % host(state, index),
            'transport_url = %s\n' % nova.transport_url(state):
                'transport_url = %s\n' % nova.transport_url(state, vhost(state, index)),
            '[database]\nconnection = %s\n' % urls['nova_cell1']:
                '[database]\nconnection = %s\n' % urls[db_suffix(index)],
            'state_path = %s\n' % state.sub('nova'):
                'state_path = %s\n' % state.sub('nova-cell%d' % index),
            'log_dir = %s\n' % state.log_dir:
                'log_dir = %s\n' % os.path.join(state.log_dir, name(index)),
            # The metadata and API ports are the controller's; a cell runs neither.
        }
        for old, new in replacements.items():
            if old not in text:
                raise RuntimeError('nova.conf has no %r to make %s\'s conf from'
                                   % (old.strip(), name(index)))
            text = text.replace(old, new)
        os.makedirs(state.sub('nova-cell%d' % index, 'lock'), exist_ok=True)
        os.makedirs(os.path.join(state.log_dir, name(index)), exist_ok=True)
        with open(conf_path(state, index), 'w') as f:
            f.write(text)


def ensure_vhosts(state):
    from tools.allinone_lib import nova
    for index in extra(state):
        nova.ensure_vhost(state, vhost(state, index))


def delete_vhosts(state):
    from tools.allinone_lib import nova
    for index in extra(state):
        nova.delete_vhost(state, vhost(state, index))


def setup_databases(state):
    """Map each extra cell (once) and sync its schema, unless done for this code."""
    from tools.allinone_lib import nova
    done = '%s/%d' % (nova.schema_fingerprint(), count(state))
    if not extra(state) or state.settings.get('cells_synced') == done:
        return
    urls = nova.database_urls(state)
    listed = nova.manage(state, 'cell_v2', 'list_cells', '--verbose').stdout
    names = {line.split('|')[1].strip() for line in listed.splitlines()
             if line.count('|') > 2}
    for index in extra(state):
        if name(index) not in names:
            nova.manage(state, 'cell_v2', 'create_cell', '--name', name(index),
                        '--transport-url', nova.transport_url(state, vhost(state, index)),
                        '--database_connection', urls[db_suffix(index)])
        nova.manage(state, 'db', 'sync', conf=conf_path(state, index))
    state.settings['cells_synced'] = done
    state.save()


def start_daemons(state):
    """Each extra cell's conductor and compute; {name: pid}."""
    from tools.allinone_lib import nova
    started = {}
    for index in extra(state):
        conf = conf_path(state, index)
        pid, _ = procs.start(state, daemon_name('nova-conductor', index),
                             [nova.python_bin('nova-conductor'), '--config-file', conf],
                             marker=nova.python_bin('nova-conductor'))
        started[daemon_name('nova-conductor', index)] = pid
        cmd, marker = compute_command(state, conf)
        pid, _ = procs.start(state, daemon_name('nova-compute', index), cmd,
                             cwd=layout.REPO, marker=marker)
        started[daemon_name('nova-compute', index)] = pid
    return started


def _compute_nodes(url):
    import sqlalchemy as sa
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                'SELECT COUNT(*) FROM compute_nodes WHERE deleted = 0')).scalar()
    except sa.exc.DBAPIError:
        return 0
    finally:
        engine.dispose()


def wait_for_nodes(state, timeout=300):
    """Once every extra cell's compute wrote its node records, map them
    (``discover_hosts``): the controller's discovery ran before they existed."""
    from tools.allinone_lib import nova
    urls = nova.database_urls(state)
    wanted = max(1, fake_nodes(state)) if state.settings.get('virt') == 'fake' else 1
    for index in extra(state):
        procs.wait_for(lambda index=index: _compute_nodes(urls[db_suffix(index)]) >= wanted,
                       timeout, 'the compute nodes of %s' % name(index), interval=1)
    nova.discover_hosts(state)
