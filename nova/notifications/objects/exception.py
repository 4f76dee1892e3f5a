"""ExceptionPayload: the fault carried by <object>.<action>.error notifications."""

import traceback as tb_module

from nova import exception
from nova.notifications.objects import base
from nova.objects import base as nova_base
from nova.objects import fields


@nova_base.NovaObjectRegistry.register_notification
class ExceptionPayload(base.NotificationPayloadBase):
    # Version 1.0: initial version
    # Version 1.1: traceback added
    VERSION = '1.1'

    fields = {
        'module_name': fields.StringField(),
        'function_name': fields.StringField(),
        'exception': fields.StringField(),
        'exception_message': fields.StringField(),
        'traceback': fields.StringField(),
    }

    @classmethod
    def from_exception(cls, exc, exc_tb=None):
        """Built from an exception; the raising frame names the module and function."""
        exc_tb = exc_tb if exc_tb is not None else exc.__traceback__
        module_name = function_name = ''
        frame_tb = exc_tb
        while frame_tb is not None and frame_tb.tb_next is not None:
            frame_tb = frame_tb.tb_next
        if frame_tb is not None:
            frame = frame_tb.tb_frame
            module_name = frame.f_globals.get('__name__', '')
            function_name = frame.f_code.co_name
        if isinstance(exc, exception.NovaException):
            message = exc.format_message()
        else:
            message = str(exc)
        text = ''.join(tb_module.format_exception(type(exc), exc, exc_tb)) if exc_tb else ''
        payload = cls()
        payload.module_name = module_name
        payload.function_name = function_name
        payload.exception = type(exc).__name__
        payload.exception_message = message
        payload.traceback = text
        return payload
