"""Request validation decorators for API controller methods.

``@schema(body_schema, min_version, max_version)`` checks the JSON body when
the request's microversion lies in the range (stack several for different
ranges); ``@query_schema`` does the same for the query string, whose values
are always lists of strings.  Failures are 400s in upstream's wording.
"""

import functools

from nova.api.validation import validators
from nova import exception


def _in_range(req, min_version, max_version):
    version = getattr(req, 'api_version_request', None)
    if version is None:
        return True
    return version.matches(min_version, max_version)


def _find_request(args, kwargs):
    req = kwargs.get('req')
    if req is None:
        for arg in args:
            if hasattr(arg, 'environ') and hasattr(arg, 'GET'):
                return arg
    return req


def _carry_code(wrapper, func):
    wrapper.wsgi_code = getattr(func, 'wsgi_code', None)
    return wrapper


def _record(wrapper, func, attr, entry):
    """Remember a schema on the wrapper (new list: functools.wraps shares the inner one).

    The route table doc and the API fuzz read these to know what each
    method accepts at each microversion.
    """
    setattr(wrapper, attr, [entry] + list(getattr(func, attr, [])))


def schema(request_body_schema, min_version=None, max_version=None):
    """Validate the ``body`` argument against ``request_body_schema``."""
    strict = validators.SchemaValidator(request_body_schema)
    relaxed = validators.SchemaValidator(request_body_schema,
                                         relax_additional_properties=True)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            req = _find_request(args, kwargs)
            if _in_range(req, min_version, max_version):
                if 'body' not in kwargs:
                    raise exception.ValidationError(
                        detail="The request body is missing or is not a JSON object.")
                legacy = bool(req is not None and req.environ.get('nova.legacy_v2'))
                (relaxed if legacy else strict).validate(kwargs['body'])
            return func(*args, **kwargs)
        _record(wrapper, func, 'request_body_schemas',
                (request_body_schema, min_version, max_version))
        return _carry_code(wrapper, func)
    return decorator


def query_schema(query_params_schema, min_version=None, max_version=None):
    """Validate the query string (as ``{name: [values]}``) against the schema."""
    checker = validators.SchemaValidator(query_params_schema)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            req = _find_request(args, kwargs)
            if req is not None and _in_range(req, min_version, max_version):
                checker.validate(req.GET.dict_of_lists())
            return func(*args, **kwargs)
        _record(wrapper, func, 'query_schemas',
                (query_params_schema, min_version, max_version))
        return _carry_code(wrapper, func)
    return decorator


def response_body_schema(response_schema, min_version=None, max_version=None):
    """Check what a method returns, per ``[api] response_validation``."""
    checker = validators.SchemaValidator(response_schema)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            result = func(*args, **kwargs)
            import nova.conf
            mode = nova.conf.CONF.api.response_validation
            req = _find_request(args, kwargs)
            if mode != 'ignore' and isinstance(result, dict) and \
                    _in_range(req, min_version, max_version):
                try:
                    checker.validate(result)
                except exception.ValidationError as error:
                    if mode == 'error':
                        raise exception.NovaException(
                            'Response does not match its schema: %s' % error)
                    import logging
                    logging.getLogger(__name__).warning(
                        'Response of %s does not match its schema: %s',
                        func.__qualname__, error)
            return result
        return _carry_code(wrapper, func)
    return decorator
