"""[wsgi]: options of the API's WSGI application."""

from oslo_config import cfg

wsgi_group = cfg.OptGroup(
    'wsgi', title='WSGI options',
    help='Settings of the WSGI applications serving the APIs.')

wsgi_opts = [
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               deprecated_group='DEFAULT',
               help='Paste Deploy file describing the API pipelines; a '
                    'relative name is searched for next to the '
                    'configuration files.'),
    cfg.StrOpt('secure_proxy_ssl_header',
               deprecated_group='DEFAULT',
               deprecated_for_removal=True,
               deprecated_since='31.0.0',
               deprecated_reason='Use the HTTPProxyToWSGI middleware of '
                                 'oslo.middleware instead.',
               help='Request header that a TLS-terminating proxy sets to the '
                    'original scheme (for example HTTP_X_FORWARDED_PROTO).'),
]


def register_opts(conf):
    conf.register_group(wsgi_group)
    conf.register_opts(wsgi_opts, group=wsgi_group)


def list_opts():
    return {wsgi_group: wsgi_opts}
