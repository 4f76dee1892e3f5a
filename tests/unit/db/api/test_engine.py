"""The API database's engine plumbing, and both engines configured from their
configuration groups (sqlite)."""

import sqlalchemy as sa

from nova import context as nova_context
from nova.db.api import engine as api_engine
from nova.db.main import engine as main_engine
from tests.fixtures import databases


def test_api_reader_decorator():
    with databases.use_databases(api_url='sqlite://'):
        @api_engine.reader
        def read(context):
            return context.session.execute(sa.text('SELECT 7')).scalar()

        assert read(nova_context.get_admin_context()) == 7
        assert api_engine.get_engine().url.drivername == 'sqlite'


def test_configure_reads_conf_groups(tmp_path):
    from oslo_config import cfg
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    main_file = tmp_path / 'main.db'
    api_file = tmp_path / 'api.db'
    from nova.db import _enginefacade
    _enginefacade.ensure_db_opts(conf)
    conf.set_override('connection', 'sqlite:///%s' % main_file, group='database')
    conf.set_override('connection', 'sqlite:///%s' % api_file, group='api_database')
    main_reset = main_engine.main_context_manager.patch_factory(
        main_engine.main_context_manager._factory)
    api_reset = api_engine.context_manager.patch_factory(api_engine.context_manager._factory)
    try:
        main_engine.configure(conf)
        api_engine.configure(conf)
        assert main_engine.get_engine().url.database == str(main_file)
        assert api_engine.get_engine().url.database == str(api_file)
    finally:
        main_engine.main_context_manager._factory.dispose_pool()
        api_engine.context_manager._factory.dispose_pool()
        main_reset()
        api_reset()
