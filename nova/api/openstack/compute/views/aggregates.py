"""Host aggregates as the API shows them."""


def aggregate(req, aggregate, full=True):
    """An aggregate as the API shows it (create omits hosts and metadata)."""
    body = {
        'availability_zone': aggregate.availability_zone,
        'created_at': aggregate.created_at,
        'deleted': False,
        'deleted_at': None,
        'id': aggregate.id,
        'name': aggregate.name,
        'updated_at': aggregate.updated_at,
    }
    if full:
        body['hosts'] = list(aggregate.hosts or [])
        body['metadata'] = dict(aggregate.metadata or {})
    if req.api_version_request >= '2.41':
        body['uuid'] = aggregate.uuid
    return body
