"""Server groups as the API shows them."""


def rules(rules):
    """Rule values as upstream shows them: ``max_server_per_host`` is a number."""
    view = {}
    for key, value in (rules or {}).items():
        if key == 'max_server_per_host':
            try:
                value = int(value)
            except (TypeError, ValueError):
                pass
        view[key] = value
    return view


def server_group(req, group, members):
    """A server group; ``members``: its members whose server still exists."""
    version = req.api_version_request
    body = {'id': group.uuid, 'name': group.name}
    if version >= '2.64':
        body['policy'] = group.policy
        body['rules'] = rules(group.rules)
    else:
        body['policies'] = group.policies
        body['metadata'] = {}
    body['members'] = members
    if version >= '2.13':
        body['project_id'] = group.project_id
        body['user_id'] = group.user_id
    return body
