"""``nova-manage db archive_deleted_rows``: move soft-deleted rows to shadow tables."""

from nova.cmd import manage_common as common

args = common.args


@args('--max_rows', type=int, metavar='<number>', dest='max_rows', default=1000,
      help='Maximum number of deleted rows to archive per batch (default 1000).')
@args('--before', metavar='<date>', help='Only archive rows deleted before this date.')
@args('--verbose', action='store_true', dest='verbose', default=False,
      help='Print how many rows were archived per table.')
@args('--until-complete', action='store_true', dest='until_complete', default=False,
      help='Keep archiving in batches of --max_rows until nothing is left.')
@args('--purge', action='store_true', dest='purge', default=False,
      help='Purge the shadow tables after archiving.')
@args('--all-cells', action='store_true', dest='all_cells', default=False,
      help='Archive in every cell database.')
@args('--task-log', action='store_true', dest='task_log', default=False,
      help='Also archive task_log records.')
@args('--sleep', type=int, metavar='<seconds>', dest='sleep', default=0,
      help='Seconds to wait between batches with --until-complete.')
@common.not_implemented
def archive_deleted_rows(self, **kwargs):
    """Move soft-deleted rows from production tables to shadow tables."""
