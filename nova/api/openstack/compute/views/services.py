"""Services as the API shows them."""


def service(req, service, zone, alive):
    """A service record; ``zone``: its availability zone, ``alive``: whether it reports."""
    body = {
        'id': service.id,
        'binary': service.binary,
        'host': service.host,
        'zone': zone,
        'status': 'disabled' if service.disabled else 'enabled',
        'state': 'up' if alive else 'down',
        'updated_at': service.updated_at,
        'disabled_reason': service.disabled_reason,
    }
    version = req.api_version_request
    if version >= '2.11':
        body['forced_down'] = service.forced_down
    if version >= '2.53':
        body['id'] = service.uuid
    return body
