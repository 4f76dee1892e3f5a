"""``nova-status upgrade check``: is this deployment ready to run (or upgrade) Nova?

Built on oslo.upgradecheck, so the output table and the exit codes are the
ones every OpenStack ``*-status`` tool uses: 0 all passed, 1 a warning,
2 a failure, 255 the check itself crashed.
"""

import sys

from keystoneauth1 import exceptions as ks_exc
from oslo_config import cfg
from oslo_upgradecheck import upgradecheck

from nova.cmd import common as cmd_common
import nova.conf
from nova import context as nova_context
from nova import objects

CONF = nova.conf.CONF

#: Oldest Placement microversion the scheduler and report client rely on.
MIN_PLACEMENT_MICROVERSION = '1.39'

_SETUP_HINT = "Run command 'nova-manage cell_v2 simple_cell_setup' and try again."


def _version_tuple(text):
    major, minor = text.split('.', 1)
    return int(major), int(minor)


class UpgradeCommands(upgradecheck.UpgradeCommands):
    """The checks ``nova-status upgrade check`` runs, in order."""

    def _check_cellsv2(self):
        """cell0 and at least one real cell are mapped, and so are the compute hosts."""
        Code = upgradecheck.Code
        ctxt = nova_context.get_admin_context()
        cells = objects.CellMappingList.get_all(ctxt)
        if len(cells) < 2:
            return upgradecheck.Result(
                Code.FAILURE,
                'There need to be at least two cell mappings: cell0 and your first '
                'cell. ' + _SETUP_HINT)
        if not any(cell.is_cell0() for cell in cells):
            return upgradecheck.Result(Code.FAILURE, 'No cell0 mapping found. ' + _SETUP_HINT)
        if objects.HostMappingList.get_all(ctxt):
            return upgradecheck.Result(Code.SUCCESS)
        nodes = 0
        for cell in cells:
            if cell.is_cell0():
                continue
            with nova_context.target_cell(ctxt, cell) as cctxt:
                nodes += len(objects.ComputeNodeList.get_all(cctxt))
        if nodes:
            return upgradecheck.Result(
                Code.FAILURE,
                'No host mappings found but there are compute nodes. Run command '
                "'nova-manage cell_v2 discover_hosts' and try again.")
        return upgradecheck.Result(
            Code.SUCCESS,
            'No host mappings or compute nodes were found. Remember to run command '
            "'nova-manage cell_v2 discover_hosts' when new compute hosts are deployed.")

    def _check_placement(self):
        """Placement answers with our credentials and is recent enough."""
        Code = upgradecheck.Code
        from nova.scheduler.client import report
        try:
            adapter = report.create_placement_adapter(CONF)
            response = adapter.get('/', raise_exc=True)
            versions = response.json().get('versions') or [{}]
            max_version = versions[0].get('max_version') or '0.0'
        except ks_exc.MissingAuthPlugin:
            return upgradecheck.Result(
                Code.FAILURE, 'No credentials specified for placement API in nova.conf.')
        except ks_exc.Unauthorized:
            return upgradecheck.Result(
                Code.FAILURE, 'Placement service credentials do not work.')
        except ks_exc.EndpointNotFound:
            return upgradecheck.Result(Code.FAILURE, 'Placement API endpoint not found.')
        except ks_exc.DiscoveryFailure:
            return upgradecheck.Result(Code.FAILURE, 'Discovery for placement API URI failed.')
        except ks_exc.NotFound:
            return upgradecheck.Result(
                Code.FAILURE, 'Placement API does not seem to be running.')
        except ks_exc.ConnectFailure as error:
            return upgradecheck.Result(
                Code.FAILURE, 'Unable to connect to the Placement API: %s'
                % str(error).splitlines()[0])
        if _version_tuple(max_version) < _version_tuple(MIN_PLACEMENT_MICROVERSION):
            return upgradecheck.Result(
                Code.FAILURE, 'Placement API version %s needed, you have %s.'
                % (MIN_PLACEMENT_MICROVERSION, max_version))
        return upgradecheck.Result(Code.SUCCESS)

    def _check_service_user_token(self):
        """Services must send their own token along with users' (CVE-2023-2088)."""
        if CONF.service_user.send_service_user_token:
            return upgradecheck.Result(upgradecheck.Code.SUCCESS)
        return upgradecheck.Result(
            upgradecheck.Code.FAILURE,
            'Service user token configuration is required for all Nova services: set '
            '[service_user]/send_service_user_token = true and the [service_user] '
            'credentials. See the "service user token" page of the admin guide.')

    _upgrade_checks = (
        ('Cells v2', _check_cellsv2),
        ('Placement API', _check_placement),
        ('Service User Token Configuration', _check_service_user_token),
    )


def main(argv=None):
    """Parse the command line and run the chosen category (``upgrade check``)."""
    argv = list(sys.argv if argv is None else argv)
    try:
        upgradecheck.register_cli_options(CONF, UpgradeCommands())
    except cfg.ArgsAlreadyParsedError:
        # A previous in-process run parsed the command line; start afresh.
        CONF.clear()
        upgradecheck.register_cli_options(CONF, UpgradeCommands())
    cmd_common.setup(argv, binary='nova-status', init_rpc=False)
    return upgradecheck.run(CONF)


if __name__ == '__main__':
    sys.exit(main())
