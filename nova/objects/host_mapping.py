"""Host mappings: which cell a compute host lives in (API DB)."""

import sqlalchemy as sa

from nova.db.api import engine as api_engine
from nova.db.api import models as api_models
from nova import exception
from nova import objects
from nova.objects import base
from nova.objects import fields
from nova.objects import mapping_db


@base.NovaObjectRegistry.register
class HostMapping(base.NovaTimestampObject, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(read_only=True),
        'host': fields.StringField(),
        'cell_mapping': fields.ObjectField('CellMapping'),
    }

    @staticmethod
    def _from_db_object(context, host_mapping, db_host_mapping):
        for key in ('id', 'host', 'created_at', 'updated_at'):
            setattr(host_mapping, key, getattr(db_host_mapping, key))
        host_mapping.cell_mapping = mapping_db.load_cell(context, db_host_mapping.cell_mapping)
        host_mapping.obj_reset_changes()
        host_mapping._context = context
        return host_mapping

    @staticmethod
    def _query():
        return mapping_db.select(api_models.HostMapping, with_cell=True)

    @staticmethod
    @api_engine.context_manager.reader
    def _get_by_host_from_db(context, host):
        return mapping_db.get_one(context, HostMapping._query().filter_by(host=host),
                                  exception.HostMappingNotFound, name=host)

    @classmethod

    @base.remotable
    def get_by_host(cls, context, host):
        return cls._from_db_object(context, cls(), cls._get_by_host_from_db(context, host))

    @staticmethod
    @api_engine.context_manager.writer
    def _create_in_db(context, host, cell_id):
        existing = context.session.scalars(
            sa.select(api_models.HostMapping).filter_by(host=host)).first()
        if existing:
            raise exception.HostMappingExists(name=host)
        db_mapping = api_models.HostMapping(host=host, cell_id=cell_id)
        context.session.add(db_mapping)
        context.session.flush()
        context.session.refresh(db_mapping)
        db_mapping.cell_mapping  # noqa: B018 - load while the session is open
        return db_mapping

    @base.remotable
    def create(self):
        cell_id = self.cell_mapping.id
        self._from_db_object(self._context, self,
                             self._create_in_db(self._context, self.host, cell_id))

    @staticmethod
    @api_engine.context_manager.writer
    def _save_in_db(context, mapping_id, cell_id):
        db_mapping = context.session.get(api_models.HostMapping, mapping_id)
        db_mapping.cell_id = cell_id
        context.session.flush()
        context.session.refresh(db_mapping)
        db_mapping.cell_mapping  # noqa: B018
        return db_mapping

    @base.remotable
    def save(self):
        if 'cell_mapping' in self.obj_what_changed():
            self._from_db_object(self._context, self,
                                 self._save_in_db(self._context, self.id, self.cell_mapping.id))

    @staticmethod
    @api_engine.context_manager.writer
    def _destroy_in_db(context, host):
        mapping_db.delete_one(context, api_models.HostMapping, api_models.HostMapping.host, host,
                              exception.HostMappingNotFound, name=host)

    @base.remotable
    def destroy(self):
        self._destroy_in_db(self._context, self.host)


@base.NovaObjectRegistry.register
class HostMappingList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('HostMapping'),
    }

    @staticmethod
    @api_engine.context_manager.reader
    def _get_from_db(context, cell_id=None):
        query = HostMapping._query().order_by(api_models.HostMapping.id)
        if cell_id is not None:
            query = query.filter_by(cell_id=cell_id)
        return context.session.scalars(query).unique().all()

    @classmethod

    @base.remotable
    def get_all(cls, context):
        return base.obj_make_list(context, cls(), HostMapping, cls._get_from_db(context))

    @classmethod

    @base.remotable
    def get_by_cell_id(cls, context, cell_id):
        return base.obj_make_list(context, cls(), HostMapping,
                                  cls._get_from_db(context, cell_id))


def _create_host_mapping(context, host, cell, status_fn):
    try:
        objects.HostMapping.get_by_host(context, host)
        return None
    except exception.HostMappingNotFound:
        pass
    status_fn('Checking host mapping for compute host %r: %s' % (host, 'creating'))
    mapping = HostMapping(context, host=host, cell_mapping=cell)
    mapping.create()
    return mapping


def discover_hosts(context, cell_uuid=None, status_fn=None, by_service=False):
    """Map every unmapped compute host of every (or one) cell; return the new mappings.

    Compute nodes are marked ``mapped`` once handled so repeated discovery
    only looks at new ones; ``by_service`` looks at nova-compute service
    records instead, for drivers whose nodes come and go (ironic).
    """
    from nova import context as nova_context
    status_fn = status_fn or (lambda msg: None)
    if cell_uuid:
        cells = [objects.CellMapping.get_by_uuid(context, cell_uuid)]
    else:
        cells = objects.CellMappingList.get_all(context)
        status_fn('Found %d cell mappings.' % len(cells))
    added = []
    for cell in cells:
        if cell.is_cell0():
            status_fn('Skipping cell0 since it does not contain hosts.')
            continue
        label = cell.name or cell.uuid
        status_fn("Getting computes from cell '%s': %s" % (label, cell.uuid) if cell.name
                  else 'Getting computes from cell: %s' % cell.uuid)
        with nova_context.target_cell(context, cell) as cctxt:
            if by_service:
                services = objects.ServiceList.get_by_binary(cctxt, 'nova-compute',
                                                             include_disabled=True)
                hosts = sorted({s.host for s in services})
                for host in hosts:
                    mapping = _create_host_mapping(context, host, cell, status_fn)
                    if mapping:
                        added.append(mapping)
            else:
                nodes = objects.ComputeNodeList.get_all_by_not_mapped(cctxt, 1)
                status_fn('Found %d unmapped computes in cell: %s' % (len(nodes), cell.uuid))
                for node in nodes:
                    mapping = _create_host_mapping(context, node.host, cell, status_fn)
                    if mapping:
                        added.append(mapping)
                    node.mapped = 1
                    node.save()
    return added
