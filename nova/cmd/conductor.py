"""nova-conductor: the database gateway and task orchestrator."""

from nova.cmd import common
from nova import service


def main():
    common.setup(binary='nova-conductor')
    server = service.Service.create(binary='nova-conductor')
    service.serve(server)


if __name__ == '__main__':
    main()
