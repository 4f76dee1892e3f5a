"""Compute API microversions: parsing, comparison and the advertised range.

``MAX_API_VERSION`` is the one number to bump when a microversion's behaviour
is implemented for every resource it touches; the version documents and the
negotiation both read it from here.  Parsing accepts any ``2.N`` so a request
for a version we do not serve yet gets a clean 406, never a 400.
"""

import functools
import re

from nova import exception

MIN_API_VERSION = '2.1'
# Highest microversion whose behaviour is implemented; the version documents
# advertise it and 'latest' resolves to it.  Bumped by whoever finishes one.
MAX_API_VERSION = '2.104'
# What the /v2/ legacy endpoint behaves as (before microversions existed).
LEGACY_API_VERSION = '2.0'
# What a request without a version header gets.
DEFAULT_API_VERSION = MIN_API_VERSION

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


class InvalidAPIVersionString(exception.Invalid):
    msg_fmt = ("API Version String %(version)s is of invalid format. Must "
               "be of format MajorNum.MinorNum.")


class APIVersionRequest(object):
    """A microversion ``major.minor``; the null version (no string) compares unbounded."""

    def __init__(self, version_string=None):
        self.ver_major = 0
        self.ver_minor = 0
        if version_string is not None:
            match = _VERSION_RE.match(str(version_string).strip())
            if not match:
                raise InvalidAPIVersionString(version=version_string)
            self.ver_major = int(match.group(1))
            self.ver_minor = int(match.group(2))

    def __repr__(self):
        return 'APIVersionRequest(%s)' % self.get_string()

    def is_null(self):
        return self.ver_major == 0 and self.ver_minor == 0

    def _key(self):
        return (self.ver_major, self.ver_minor)

    @staticmethod
    def _coerce(other):
        if isinstance(other, APIVersionRequest):
            return other
        return APIVersionRequest(other)

    @staticmethod
    def _other_key(other):
        # Views compare against string literals thousands of times per listing.
        if isinstance(other, APIVersionRequest):
            return other._key()
        if isinstance(other, str):
            return _string_key(other)
        return APIVersionRequest(other)._key()

    def __lt__(self, other):
        return self._key() < self._other_key(other)

    def __le__(self, other):
        return self._key() <= self._other_key(other)

    def __eq__(self, other):
        if not isinstance(other, (APIVersionRequest, str)):
            return NotImplemented
        return self._key() == self._other_key(other)

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __gt__(self, other):
        return self._key() > self._other_key(other)

    def __ge__(self, other):
        return self._key() >= self._other_key(other)

    def __hash__(self):
        return hash(self._key())

    def matches(self, min_version=None, max_version=None):
        """True if this version lies in [min_version, max_version]; None/null means open."""
        if min_version is not None:
            min_version = self._coerce(min_version)
            if not min_version.is_null() and self < min_version:
                return False
        if max_version is not None:
            max_version = self._coerce(max_version)
            if not max_version.is_null() and self > max_version:
                return False
        return True

    def get_string(self):
        if self.is_null():
            raise ValueError('the null version has no string form')
        return '%d.%d' % (self.ver_major, self.ver_minor)

    def __str__(self):
        return self.get_string() if not self.is_null() else ''


def min_api_version():
    return APIVersionRequest(MIN_API_VERSION)


def max_api_version():
    return APIVersionRequest(MAX_API_VERSION)


def is_supported(req, min_version=MIN_API_VERSION, max_version=None):
    """Shorthand for controllers: does the request's version fall in the range?"""
    return req.api_version_request.matches(min_version, max_version)


@functools.lru_cache(maxsize=512)
def _string_key(version_string):
    """(major, minor) of a version string, parsed once per distinct string."""
    return APIVersionRequest(version_string)._key()
