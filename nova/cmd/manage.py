"""``nova-manage``: operator commands, ``nova-manage <category> <command> [args]``.

The categories live in their own modules (manage_db, manage_cells, ...); this
module wires them into oslo.config's command line and turns failures into one
readable line and an exit code instead of a traceback.
"""

import sys
import traceback

from oslo_config import cfg

from nova.cmd import common as cmd_common
from nova.cmd import manage_cells
from nova.cmd import manage_common
from nova.cmd import manage_db
from nova.cmd import manage_placement
from nova.cmd import manage_unimplemented as unimplemented
from nova.cmd import manage_volume_attachment
import nova.conf
from nova import version

CONF = nova.conf.CONF

CATEGORIES = {
    'api_db': manage_db.ApiDbCommands,
    'cell_v2': manage_cells.CellV2Commands,
    'db': manage_db.DbCommands,
    'placement': manage_placement.PlacementCommands,
    'libvirt': unimplemented.LibvirtCommands,
    'volume_attachment': manage_volume_attachment.VolumeAttachmentCommands,
    'image_property': unimplemented.ImagePropertyCommands,
    'limits': unimplemented.LimitsCommands,
}

#: Exit code of an error no command anticipated (upstream uses 255 too).
UNEXPECTED_ERROR = 255

category_opt = cfg.SubCommandOpt('category', title='Command categories',
                                 help='Available categories',
                                 handler=manage_common.make_parser_handler(CATEGORIES))
post_mortem_opt = cfg.BoolOpt('post-mortem', default=False,
                              help='Allow post-mortem debugging')


def _register_cli_opts():
    try:
        CONF.register_cli_opts([category_opt, post_mortem_opt])
    except cfg.ArgsAlreadyParsedError:
        # A previous in-process run parsed the command line; start afresh.
        CONF.clear()
        CONF.register_cli_opts([category_opt, post_mortem_opt])


def _describe(error):
    text = str(error).strip()
    first = text.splitlines()[0] if text else ''
    return first or type(error).__name__


def _run(fn, kwargs):
    try:
        result = fn(**kwargs)
    except KeyboardInterrupt:
        print('Interrupted.', file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - every failure becomes one line + 255
        if CONF.post_mortem:
            import pdb
            pdb.post_mortem()
        elif CONF.debug:
            traceback.print_exc()
        print('An error has occurred: %s' % _describe(error))
        return UNEXPECTED_ERROR
    return 0 if result is None else result


def main(argv=None):
    """Parse the command line, run the chosen command, return its exit code."""
    argv = list(sys.argv if argv is None else argv)
    _register_cli_opts()
    cmd_common.setup(argv, binary='nova-manage', init_rpc=False)
    category = CONF.category.name
    if category == 'version':
        print(version.version_string_with_package())
        return 0
    if category == 'bash-completion':
        manage_common.print_bash_completion(CATEGORIES)
        return 0
    fn, kwargs = manage_common.get_action(CONF.category)
    return _run(fn, kwargs)


if __name__ == '__main__':
    sys.exit(main())
