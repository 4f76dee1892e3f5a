"""Key pairs as the API shows them."""


def keypair(req, keypair, private_key=None, full=False):
    """A key pair (``full``: as show answers; ``private_key``: a generated one)."""
    body = {
        'name': keypair.name,
        'public_key': keypair.public_key,
        'fingerprint': keypair.fingerprint,
    }
    if req.api_version_request >= '2.2':
        body['type'] = keypair.type
    if full:
        body.update({'user_id': keypair.user_id, 'id': keypair.id,
                     'created_at': keypair.created_at, 'updated_at': keypair.updated_at,
                     'deleted': False, 'deleted_at': None})
    if private_key is not None:
        body['private_key'] = private_key
    return body
