"""Where a guest's console can be reached, as a driver reports it to the proxies."""


class Console(object):
    def __init__(self, host, port, internal_access_path=None):
        self.host = host
        self.port = port
        self.internal_access_path = internal_access_path

    def get_connection_info(self, token, access_url):
        """The dict the console-auth token records."""
        return {'host': self.host, 'port': self.port,
                'internal_access_path': self.internal_access_path,
                'token': token, 'access_url': access_url}


class ConsoleVNC(Console):
    pass


class ConsoleSpice(Console):
    def __init__(self, host, port, tlsPort, internal_access_path=None):
        super().__init__(host, port, internal_access_path)
        self.tlsPort = tlsPort

    def get_connection_info(self, token, access_url):
        info = super().get_connection_info(token, access_url)
        info['tlsPort'] = self.tlsPort
        return info


class ConsoleSerial(Console):
    pass
