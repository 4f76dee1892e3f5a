"""The little comparison language of flavor extra specs (``>= 4``, ``<in> ssd``, ...).

A requirement is ``<op> <operand>``; without a known operator it is an
exact string match.  Numeric operators fail (rather than raise) on values
that are not numbers.
"""

import operator


def _numeric(compare):
    def check(value, wanted):
        try:
            return compare(float(value), float(wanted))
        except (TypeError, ValueError):
            return False
    return check


_OPS = {
    '=': _numeric(operator.ge),   # "at least", as upstream documents it
    '==': _numeric(operator.eq),
    '!=': _numeric(operator.ne),
    '>=': _numeric(operator.ge),
    '<=': _numeric(operator.le),
    's==': operator.eq,
    's!=': operator.ne,
    's<': operator.lt,
    's<=': operator.le,
    's>': operator.gt,
    's>=': operator.ge,
    '<in>': lambda value, wanted: wanted in value,
    '<all-in>': lambda value, wanted: all(w in value for w in wanted),
}


def match(value, requirement):
    """Does the host's ``value`` satisfy the extra spec ``requirement``?"""
    words = str(requirement).split()
    if not words:
        return value == requirement
    op = words[0]
    if op == '<or>':
        # "<or> a <or> b": any of the alternatives, compared as strings.
        alternatives = words[1::2]
        return value is not None and str(value) in alternatives
    check = _OPS.get(op)
    if check is None:
        return value == requirement
    if value is None or len(words) < 2:
        return False
    if op == '<all-in>':
        return check(value, words[1:])
    return check(value, words[1])
