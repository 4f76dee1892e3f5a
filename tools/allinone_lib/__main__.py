from tools.allinone_lib import cli

cli.main()
