"""Small WSGI building blocks: a paste-deployable middleware base class."""

import webob.dec


class Middleware(object):
    """Wraps an application; subclasses override ``process_request`` and/or ``__call__``."""

    @classmethod
    def factory(cls, global_config, **local_config):
        """paste.deploy filter_factory: ``paste.filter_factory = <module>:<Class>.factory``."""
        def _filter(app):
            return cls(app, **local_config)
        return _filter

    def __init__(self, application, **kwargs):
        self.application = application

    def process_request(self, req):
        """Return a response to short-circuit the request, or None to pass it on."""
        return None

    def process_response(self, response):
        return response

    @webob.dec.wsgify
    def __call__(self, req):
        response = self.process_request(req)
        if response:
            return response
        response = req.get_response(self.application)
        return self.process_response(response)
