from tools.tempest_lib import cli

cli.main()
