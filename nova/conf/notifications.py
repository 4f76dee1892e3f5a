"""[notifications]: which notifications Nova emits and in what format."""

from oslo_config import cfg

notifications_group = cfg.OptGroup(
    'notifications', title='Notification options',
    help='Notifications are sent through oslo.messaging; '
         '[oslo_messaging_notifications] configures the transport.')

notifications_opts = [
    cfg.StrOpt('notify_on_state_change',
               choices=[(None, 'no state change notifications'),
                        ('vm_state', 'on vm_state changes'),
                        ('vm_and_task_state',
                         'on vm_state and task_state changes')],
               deprecated_group='DEFAULT',
               help='Emit instance.update notifications when a server\'s '
                    'state changes.'),
    cfg.StrOpt('default_level', default='INFO',
               choices=('DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'),
               deprecated_group='DEFAULT',
               deprecated_name='default_notification_level',
               help='Priority of notifications that do not set their own.'),
    cfg.StrOpt('notification_format', default='unversioned',
               choices=[('both', 'both formats'),
                        ('versioned', 'versioned notifications only'),
                        ('unversioned', 'legacy notifications only')],
               deprecated_group='DEFAULT',
               help='Which notification format(s) to emit.'),
    cfg.ListOpt('versioned_notifications_topics',
                default=['versioned_notifications'],
                help='Topics versioned notifications are sent to.'),
    cfg.BoolOpt('bdms_in_notifications', default=False,
                help='Include block device mappings in versioned instance '
                     'notifications.'),
    cfg.BoolOpt('include_share_mapping', default=False,
                help='Include share mappings in versioned instance '
                     'notifications.'),
]


def register_opts(conf):
    conf.register_group(notifications_group)
    conf.register_opts(notifications_opts, group=notifications_group)


def list_opts():
    return {notifications_group: notifications_opts}
