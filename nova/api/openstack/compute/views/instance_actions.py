"""Instance actions and their events as the API shows them."""

from oslo_utils import timeutils

from nova.api.openstack.compute.views import servers as views_servers

ACTION_KEYS = ('action', 'instance_uuid', 'request_id', 'user_id', 'project_id',
               'start_time', 'message')
EVENT_KEYS = ('event', 'start_time', 'finish_time', 'result')


def _time(value):
    if value is None:
        return None
    return timeutils.normalize_time(value).isoformat()


def action(action, version):
    """An instance action (2.58: with ``updated_at``)."""
    view = {key: action[key] for key in ACTION_KEYS}
    view['start_time'] = _time(view['start_time'])
    if version >= '2.58':
        view['updated_at'] = _time(action['updated_at'] or action['created_at'])
    return view


def event(event, version, project_id, show_traceback, show_host, show_details):
    """An event of an action; what it shows beyond the basics the caller's policy decides."""
    view = {key: event[key] for key in EVENT_KEYS}
    view['start_time'] = _time(view['start_time'])
    view['finish_time'] = _time(view['finish_time'])
    if show_traceback:
        view['traceback'] = event['traceback']
    if version >= '2.62':
        view['hostId'] = views_servers.host_id(project_id, event['host'])
        if show_host:
            view['host'] = event['host']
    if version >= '2.84' and show_details:
        view['details'] = event['details']
    return view
