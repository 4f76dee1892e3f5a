"""nova-scheduler: picks hosts for instances."""

from nova.cmd import common
from nova import service


def main():
    common.setup(binary='nova-scheduler')
    server = service.Service.create(binary='nova-scheduler')
    service.serve(server)


if __name__ == '__main__':
    main()
