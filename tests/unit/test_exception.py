"""nova.exception: messages filled from keyword arguments (a missing one keeps the
template rather than raising again), and every exception's HTTP-ish code."""

import inspect
import re

import pytest

from nova import exception

ALL = [cls for _name, cls in inspect.getmembers(exception, inspect.isclass)
       if issubclass(cls, exception.NovaException)]


def test_message_from_keyword_arguments():
    err = exception.InstanceNotFound(instance_id='abc')
    assert err.format_message() == 'Instance abc could not be found.'
    assert err.kwargs == {'instance_id': 'abc', 'code': 404} and err.code == 404


def test_a_missing_argument_keeps_the_template():
    err = exception.InstanceNotFound()
    assert err.format_message() == exception.InstanceNotFound.msg_fmt


def test_an_explicit_message_wins():
    assert exception.Invalid('plain words').format_message() == 'plain words'
    assert exception.NovaException().format_message() == 'An unknown exception occurred.'


def test_the_code_is_carried_in_the_kwargs_and_can_be_given():
    assert exception.Invalid(reason='x').kwargs['code'] == 400
    assert exception.NovaException(code=418).kwargs['code'] == 418


@pytest.mark.parametrize('cls', ALL, ids=[c.__name__ for c in ALL])
def test_every_exception_has_an_http_code_and_a_fillable_template(cls):
    assert isinstance(cls.code, int) and 400 <= cls.code <= 599
    names = set(re.findall(r'%\((\w+)\)', cls.msg_fmt))
    try:
        err = cls(**{name: 1 for name in names})  # 1 fills %s and %d alike
    except TypeError:
        pytest.skip('%s takes its own arguments' % cls.__name__)
    assert '%(' not in err.format_message()
