"""Trusted image certificates (2.63): the certificate IDs a server's image
signature must chain to, kept with the instance (instance_extra.trusted_certs)."""

from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class TrustedCerts(base.NovaObject):
    # Version 1.0: initial version
    VERSION = '1.0'

    fields = {
        'ids': fields.ListOfStringsField(nullable=False),
    }
