"""Compute as nova-api runs it; the one module the REST layer imports of compute.

Each module of this package holds one operation family of the compute API
(``servers``: create, show, list, delete; ``actions``: state-changing
actions; ``metadata``, ``migrations``, ``consoles``, ``external_events``,
``server_groups``, ``block_devices``, ``volumes``; ``hosts`` and ``aggregates`` for the
admin resources).  :class:`API` composes the server families; the REST
controllers get the process's one instance through :func:`get`.  What
nova-compute runs lives directly under ``nova/compute/`` and is reached from
here only through ``nova.compute.rpcapi``.
"""

import functools

from nova.compute.api import actions
from nova.compute.api.aggregates import AggregateAPI  # noqa: F401
from nova.compute.api import block_devices
from nova.compute.api.checks import check_state  # noqa: F401
from nova.compute.api import consoles
from nova.compute.api.down_cells import is_partial  # noqa: F401
from nova.compute.api import evacuate
from nova.compute.api import external_events
from nova.compute.api import live_migrate
from nova.compute.api.hosts import HostAPI  # noqa: F401
from nova.compute.api import interfaces
from nova.compute.api import metadata
from nova.compute.api import migrations
from nova.compute.api.migrations import IN_PROGRESS as MIGRATION_IN_PROGRESS  # noqa: F401
from nova.compute.api.migrations import LIVE as LIVE_MIGRATION  # noqa: F401
from nova.compute.api import rebuild
from nova.compute.api import rescue
from nova.compute.api import resize
from nova.compute.api import server_groups
from nova.compute.api import servers
from nova.compute.api import shelve
from nova.compute.api.service_traits import sync_disabled_trait  # noqa: F401
from nova.compute.api import volumes
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import api as conductor_api
from nova.image import glance
from nova.scheduler.client import report
from nova import servicegroup


class API(servers.ServersAPIMixin, metadata.MetadataAPIMixin,
          external_events.ExternalEventAPIMixin, server_groups.ServerGroupAPIMixin,
          block_devices.BlockDeviceAPIMixin, actions.ActionsAPIMixin,
          consoles.ConsolesAPIMixin, migrations.MigrationsAPIMixin,
          live_migrate.LiveMigrateAPIMixin,
          resize.ResizeAPIMixin, volumes.VolumeAPIMixin, rebuild.RebuildAPIMixin,
          rescue.RescueAPIMixin, shelve.ShelveAPIMixin,
          evacuate.EvacuateAPIMixin, interfaces.InterfaceAPIMixin):
    """Server operations on behalf of an API request's context.

    Holds the clients every family uses; each mixin holds one family.
    """

    def __init__(self, image_api=None):
        self.image_api = image_api or glance.API()
        self.compute_task_api = conductor_api.ComputeTaskAPI()
        self.compute_rpcapi = compute_rpcapi.ComputeAPI()
        self.servicegroup_api = servicegroup.API()
        self.reportclient = report.SchedulerReportClient()


@functools.lru_cache(maxsize=None)
def get():
    """The process's one compute API object, shared by every REST controller."""
    return API()
