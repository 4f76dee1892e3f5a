"""The compute API's request dispatch: controllers, actions, faults, microversions.

A ``Resource`` wraps one ``Controller``; the router hands it the matched
action name and path arguments.  The Resource negotiates the microversion,
decodes the JSON body, calls the controller method and turns what it returns
(a dict, ``None``, a ``ResponseObject`` or a ready webob response) into a JSON
response with the method's success code.  Anything raised that the client
should see becomes a ``Fault`` with upstream's body shape.
"""

import functools
import inspect

from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from nova.api.openstack import api_version_request as api_version
from nova import exception

LOG = logging.getLogger(__name__)

JSON_CONTENT_TYPE = 'application/json'
_JSON_TYPES = ('application/json', 'application/vnd.openstack.compute+json')

API_VERSION_HEADER = 'OpenStack-API-Version'
LEGACY_API_VERSION_HEADER = 'X-OpenStack-Nova-API-Version'
SERVICE_TYPE = 'compute'
VARY_HEADER = '%s, %s' % (API_VERSION_HEADER, LEGACY_API_VERSION_HEADER)

UNEXPECTED_ERROR_MSG = ("Unexpected API Error. Please report this and attach "
                        "the Nova API log if possible.\n%s")


def _requested_version(headers):
    """The version string the client asked for, or None.

    The standard header wins over the legacy one; it may name several
    services ("compute 2.10, placement 1.5").
    """
    value = headers.get(API_VERSION_HEADER)
    if value:
        for item in value.split(','):
            parts = item.strip().split(None, 1)
            if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
                return parts[1].strip()
            if len(parts) == 1 and parts[0].lower() == SERVICE_TYPE:
                return ''
    legacy = headers.get(LEGACY_API_VERSION_HEADER)
    return legacy.strip() if legacy is not None else None


class Request(webob.Request):
    """A request that knows its microversion once the Resource negotiated it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ.setdefault('nova.api_version_request', api_version.APIVersionRequest(
            api_version.DEFAULT_API_VERSION))

    @property
    def api_version_request(self):
        return self.environ.get('nova.api_version_request')

    @api_version_request.setter
    def api_version_request(self, value):
        self.environ['nova.api_version_request'] = value

    def is_legacy_v2(self):
        return bool(self.environ.get('nova.legacy_v2'))

    def set_api_version_request(self):
        """Pick the microversion from the headers; raise the upstream 400/406."""
        if self.is_legacy_v2():
            self.api_version_request = api_version.APIVersionRequest(
                api_version.LEGACY_API_VERSION)
            return
        wanted = _requested_version(self.headers)
        if wanted is None:
            self.api_version_request = api_version.APIVersionRequest(
                api_version.DEFAULT_API_VERSION)
            return
        if wanted.lower() == 'latest':
            self.api_version_request = api_version.max_api_version()
            return
        try:
            requested = api_version.APIVersionRequest(wanted)
        except api_version.InvalidAPIVersionString as error:
            self.api_version_request = api_version.APIVersionRequest()  # none was agreed
            raise webob.exc.HTTPBadRequest(explanation=error.format_message())
        low, high = api_version.min_api_version(), api_version.max_api_version()
        if not requested.matches(low, high):
            # The error answers no microversion: no version headers, as upstream.
            self.api_version_request = api_version.APIVersionRequest()
            raise webob.exc.HTTPNotAcceptable(explanation=(
                "Version %(ver)s is not supported by the API. Minimum is "
                "%(min)s and maximum is %(max)s." % {
                    'ver': wanted, 'min': low.get_string(), 'max': high.get_string()}))
        self.api_version_request = requested

    def get_content_type(self):
        """The body's media type, or None; an unsupported one is a 415."""
        if 'CONTENT_TYPE' not in self.environ or not self.content_type:
            return None
        if self.content_type not in _JSON_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(
                explanation="Unsupported Content-Type")
        return self.content_type


def add_version_headers(req, response):
    """Tell the client which microversion answered (not on the legacy v2 endpoint)."""
    version = req.environ.get('nova.api_version_request')
    if version is None or req.environ.get('nova.legacy_v2') or version.is_null():
        return
    text = version.get_string()
    response.headers[API_VERSION_HEADER] = '%s %s' % (SERVICE_TYPE, text)
    response.headers[LEGACY_API_VERSION_HEADER] = text
    response.headers['Vary'] = VARY_HEADER


def _json_response(status, body_dict, headers=None):
    response = webob.Response(status=status)
    if headers:
        for key, value in headers.items():
            response.headers[key] = str(value)
    if body_dict is not None:
        response.content_type = JSON_CONTENT_TYPE
        response.charset = 'UTF-8'
        response.body = jsonutils.dump_as_bytes(body_dict)
    else:
        response.headers.pop('Content-Type', None)
        response.body = b''
    return response


class Fault(webob.exc.HTTPException):
    """Renders a webob HTTP error as upstream's ``{"<name>": {"code", "message"}}``."""

    _fault_names = {
        400: 'badRequest',
        401: 'unauthorized',
        403: 'forbidden',
        404: 'itemNotFound',
        405: 'badMethod',
        409: 'conflictingRequest',
        413: 'overLimit',
        415: 'badMediaType',
        429: 'overLimit',
        501: 'notImplemented',
        503: 'serviceUnavailable',
    }

    def __init__(self, wrapped_exc):
        self.wrapped_exc = wrapped_exc
        self.status_int = wrapped_exc.status_int

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        code = self.wrapped_exc.status_int
        name = self._fault_names.get(code, 'computeFault')
        explanation = self.wrapped_exc.explanation
        body = {name: {'code': code, 'message': explanation}}
        headers = {}
        for key, value in self.wrapped_exc.headers.items():
            if key.lower() not in ('content-type', 'content-length'):
                headers[key] = value
        if code in (413, 429):
            retry = headers.get('Retry-After')
            if retry:
                body[name]['retryAfter'] = retry
        response = _json_response(self.wrapped_exc.status, body, headers)
        add_version_headers(req, response)
        return response

    def __str__(self):
        return self.wrapped_exc.__str__()


def fault_from_exception(error):
    """Map what a controller raised to a Fault, or None if it is a server bug."""
    if isinstance(error, Fault):
        return error
    if isinstance(error, webob.exc.WSGIHTTPException):
        return Fault(error)
    if isinstance(error, exception.NovaException):
        message = error.format_message()
        if isinstance(error, (exception.Forbidden, exception.NotAuthorized)):
            return Fault(webob.exc.HTTPForbidden(explanation=message))
        if isinstance(error, exception.Invalid) and error.code == 400:
            return Fault(webob.exc.HTTPBadRequest(explanation=message))
    return None


class ResponseObject(object):
    """A controller result with its own status code or headers."""

    def __init__(self, obj, code=None, headers=None):
        self.obj = obj
        self._default_code = 200
        self._code = code
        self._headers = dict(headers or {})

    def __getitem__(self, key):
        return self._headers[key.lower()]

    def __setitem__(self, key, value):
        self._headers[key.lower()] = value

    def __delitem__(self, key):
        del self._headers[key.lower()]

    @property
    def code(self):
        return self._code or self._default_code

    @property
    def headers(self):
        return dict(self._headers)

    def serialize(self, request):
        response = _json_response(self.code, self.obj, self._headers)
        add_version_headers(request, response)
        return response


def response(code):
    """Decorator: the success status code of a controller method."""
    def decorator(func):
        func.wsgi_code = code
        return func
    return decorator


def action(name):
    """Decorator: the method handles ``POST .../action`` bodies keyed ``name``."""
    def decorator(func):
        func.wsgi_action = name
        return func
    return decorator


def expected_errors(errors):
    """Decorator: let the listed HTTP codes through; anything else is a logged 500.

    A NovaException whose ``code`` is listed becomes that HTTP error with its
    message, so controllers need not translate every domain error by hand.
    Policy refusals and schema failures always pass through.
    """
    codes = (errors,) if isinstance(errors, int) else tuple(errors)

    def decorator(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except webob.exc.WSGIHTTPException as error:
                if error.code in codes:
                    raise
                LOG.exception('Unexpected HTTP %s in API method', error.code)
                unexpected = error
            except (exception.Forbidden, exception.NotAuthorized,
                    exception.ValidationError, exception.VersionNotFoundForAPIMethod):
                raise
            except exception.NovaException as error:
                if error.code in codes:
                    raise _webob_error(error.code, error.format_message())
                LOG.exception('Unexpected exception in API method')
                unexpected = error
            except Exception as error:
                LOG.exception('Unexpected exception in API method')
                unexpected = error
            raise webob.exc.HTTPInternalServerError(
                explanation=UNEXPECTED_ERROR_MSG % type(unexpected))
        wrapped.wsgi_code = getattr(func, 'wsgi_code', None)
        return wrapped
    return decorator


def _webob_error(code, message):
    cls = webob.exc.status_map.get(code, webob.exc.HTTPInternalServerError)
    return cls(explanation=message)


class ControllerMetaclass(type):
    """Collects the ``@action`` methods of a controller class into ``wsgi_actions``."""

    def __new__(mcs, name, bases, cls_dict):
        actions = {}
        for base in bases:
            actions.update(getattr(base, 'wsgi_actions', {}))
        for key, value in cls_dict.items():
            action_name = getattr(value, 'wsgi_action', None)
            if action_name:
                actions[action_name] = key
        cls_dict['wsgi_actions'] = actions
        return super().__new__(mcs, name, bases, cls_dict)


class Controller(metaclass=ControllerMetaclass):
    """Base of every API controller."""

    _view_builder_class = None

    def __init__(self):
        self._view_builder = (self._view_builder_class()
                              if self._view_builder_class else None)

    @staticmethod
    def api_version(min_ver, max_ver=None):
        """Decorator: the method exists only for microversions in [min_ver, max_ver].

        Outside the range the request gets a 404, as for an unknown resource.
        """
        def decorator(func):
            @functools.wraps(func)
            def wrapped(self, req, *args, **kwargs):
                version = req.api_version_request
                if not version.matches(min_ver, max_ver):
                    raise exception.VersionNotFoundForAPIMethod(version=version)
                return func(self, req, *args, **kwargs)
            wrapped.wsgi_code = getattr(func, 'wsgi_code', None)
            wrapped.wsgi_versions = (min_ver, max_ver)
            return wrapped
        return decorator


class ActionDispatcher(object):
    """One Resource's worth of ``@action`` methods gathered from several controllers.

    Upstream spreads ``POST /servers/{id}/action`` over one controller per
    extension; the router needs a single object, so this one answers each
    action key with the method of the controller that declares it.
    """

    def __init__(self, controllers):
        self._methods = {}
        for controller in controllers:
            for key, attr in controller.wsgi_actions.items():
                if key in self._methods:
                    raise ValueError('Action %r is declared twice' % key)
                self._methods[key] = getattr(controller, attr)
        self.wsgi_actions = {key: key for key in self._methods}

    def __getattr__(self, name):
        try:
            return self.__dict__['_methods'][name]
        except KeyError:
            raise AttributeError(name)


def _accepts(func, name):
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind == p.VAR_KEYWORD for p in params.values())


class Resource(object):
    """WSGI app for one controller; the router supplies action and path arguments."""

    def __init__(self, controller):
        self.controller = controller
        self._accepts_body = {}

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        try:
            return self._process(req)
        except Exception as error:
            if isinstance(error, exception.VersionNotFoundForAPIMethod):
                return Fault(webob.exc.HTTPNotFound(explanation=error.format_message()))
            fault = fault_from_exception(error)
            if fault is None:
                raise
            return fault

    def _process(self, req):
        args = dict(req.environ.get('wsgiorg.routing_args', ((), {}))[1] or {})
        action_name = args.pop('action', None)
        args.pop('controller', None)
        args.pop('format', None)
        project_id = args.pop('project_id', None)
        req.set_api_version_request()
        self._check_project_id(req, project_id)
        body = self._decode_body(req)
        method, action_name = self._get_method(action_name, body)
        if _accepts(method, 'body') and req.method in ('POST', 'PUT'):
            args['body'] = body
        elif action_name and req.method in ('POST', 'PUT') and body is not None:
            args['body'] = body
        LOG.debug("Calling method '%s'", getattr(method, '__qualname__', method))
        result = method(req, **args)
        return self._build_response(req, method, result)

    @staticmethod
    def _check_project_id(req, project_id):
        context = req.environ.get('nova.context')
        if project_id is None or context is None or context.project_id is None:
            return
        if project_id != context.project_id:
            raise webob.exc.HTTPBadRequest(explanation=(
                "Malformed request URL: URL's project_id '%s' doesn't match "
                "Context's project_id '%s'" % (project_id, context.project_id)))

    @staticmethod
    def _decode_body(req):
        if req.method not in ('POST', 'PUT', 'PATCH'):
            return None
        content = req.body
        if not content:
            return None
        req.get_content_type()
        try:
            return jsonutils.loads(content)
        except ValueError:
            raise webob.exc.HTTPBadRequest(explanation='Malformed request body')

    def _get_method(self, action_name, body):
        if action_name == 'action':
            if not isinstance(body, dict) or len(body) != 1:
                raise webob.exc.HTTPBadRequest(explanation='Malformed request body')
            key = next(iter(body))
            attr = self.controller.wsgi_actions.get(key)
            if attr is None:
                raise webob.exc.HTTPNotFound(
                    explanation='There is no such action: %s' % key)
            return getattr(self.controller, attr), key
        method = getattr(self.controller, action_name or '', None)
        if method is None or action_name.startswith('_'):
            raise webob.exc.HTTPNotFound()
        return method, None

    @staticmethod
    def _build_response(req, method, result):
        if isinstance(result, webob.Response):
            add_version_headers(req, result)
            return result
        if not isinstance(result, ResponseObject):
            result = ResponseObject(result)
        code = getattr(method, 'wsgi_code', None)
        if code:
            result._default_code = code
        return result.serialize(req)


def method_not_allowed(allowed):
    """A Fault app answering 405 for a known path and an unsupported method."""
    error = webob.exc.HTTPMethodNotAllowed(
        explanation='The method specified is not allowed for this resource.',
        headers=[('Allow', ', '.join(sorted(allowed)))])
    return Fault(error)
