"""Table options shared by the API and cell database models.

Both schemas create every table with the same MySQL engine and charset, so
the options and the helper that appends them to ``__table_args__`` live here
once instead of in each models module.
"""

MYSQL_TABLE_OPTS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8'}


def table_args(*items, **options):
    """Constraints/indexes plus the MySQL engine and charset every table uses."""
    opts = dict(MYSQL_TABLE_OPTS)
    opts.update(options)
    return items + (opts,)
