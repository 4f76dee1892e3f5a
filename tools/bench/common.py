"""Set-up shared by the in-process benchmarks: nova's config over two fresh databases."""


def configure_databases(api_url, cell_url):
    """Parse an empty config, point it at ``api_url``/``cell_url`` and migrate both.

    Returns CONF so the caller can add the overrides its benchmark needs.
    """
    import nova.conf
    from nova.db.api import engine as api_engine
    from nova.db.main import engine as main_engine
    from nova.db import migration
    from nova import objects
    from nova import rpc
    conf = nova.conf.CONF
    conf([], project='nova', default_config_files=[])
    rpc.register_opts(conf)
    conf.set_override('connection', api_url, group='api_database')
    conf.set_override('connection', cell_url, group='database')
    api_engine.configure(conf)
    main_engine.configure(conf)
    migration.db_sync(database='api')
    migration.db_sync(database='main')
    objects.register_all()
    return conf
