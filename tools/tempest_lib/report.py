"""Counts, failures and skips of a tempest run, grouped by cause.

A failure's cause is the last line of its traceback (ids and addresses
blanked so that the same cause groups together).  ``known_failures.txt``
names the failures whose cause is known and not the project's behaviour:
(b) a feature not built yet, (c) what the driver cannot do, (d) the
all-in-one's fault, (e) what upstream Nova fails too on the same set-up.
A failure it does not name is *unexplained*: the tool exits non-zero for it.
"""

import collections
import os
import re

KNOWN_FAILURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'known_failures.txt')
CATEGORIES = {
    'a': 'the project implements it but answers differently from upstream',
    'b': 'feature not built yet',
    'c': 'the virt driver cannot do it',
    'd': 'the all-in-one\'s fault',
    'e': 'upstream Nova fails it too on this set-up',
}
_NOISE = (
    (re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), '<uuid>'),
    (re.compile(r'\breq-[0-9a-f-]+'), 'req-<id>'),
    (re.compile(r'\b[0-9a-f]{32}\b'), '<id>'),
    (re.compile(r'tempest-[\w-]+?-\d+'), 'tempest-<name>'),
    (re.compile(r'0x[0-9a-f]+'), '0x..'),
)
_TEST_ID = re.compile(r'^(?:setUpClass|tearDownClass) \((.*)\)$')
# tempest's rest_client log line for each request.
_REQUEST = re.compile(r'Request \((\w+):[\w_]+\): (5\d\d) ([A-Z]+) (https?://[^/\s]+)(\S*)')


def server_errors(text, services=None):
    """[(class, cause)] for each 5xx answer in tempest's log ``text``; the cause
    names the service (``services``: {'http://host:port': 'identity', ...})."""
    found = []
    for match in _REQUEST.finditer(text or ''):
        klass, status, method, base, path = match.groups()
        service = (services or {}).get(base, base)
        path = re.sub(r'/[0-9a-f]{32}\b|/[0-9a-f-]{36}\b', '/<id>', path.split('?')[0])
        found.append((klass, 'HTTP %s from %s (%s %s)' % (status, service, method, path)))
    return found


def class_server_errors(log_path, services=None):
    """{test class name: first 5xx cause} from the run's tempest.log, for
    setUpClass/tearDownClass failures, whose results carry no log of their own."""
    index = {}
    try:
        with open(log_path, errors='replace') as f:
            for line in f:
                if 'Request (' in line and '): 5' in line:
                    for klass, why in server_errors(line, services):
                        index.setdefault(klass, why)
    except OSError:
        pass
    return index


class Known(object):
    def __init__(self, category, driver, pattern, why):
        self.category = category
        self.driver = driver
        self.pattern = re.compile(pattern)
        self.why = why

    def matches(self, test_id, driver, why=''):
        if self.driver not in ('*', driver):
            return False
        if self.pattern.pattern.startswith('cause:'):
            return re.search(self.pattern.pattern[len('cause:'):], why)
        return self.pattern.search(test_id)


def load_known(path=KNOWN_FAILURES):
    known = []
    if not os.path.exists(path):
        return known
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            category, driver, pattern, why = line.split(None, 3)
            if category not in CATEGORIES:
                raise ValueError('%s: unknown category %r' % (path, category))
            known.append(Known(category, driver, pattern, why))
    return known


def short_id(test_id):
    """The test id without tempest's '[id-...,smoke]' attribute suffix."""
    return re.sub(r'\[.*\]$', '', test_id)


def cause(text):
    lines = [line.strip() for line in (text or '').splitlines() if line.strip()]
    if not lines:
        return 'no traceback'
    last = lines[-1]
    # The exception's own line, when its message runs over several lines.
    for line in reversed(lines[-40:]):
        if re.match(r'^[\w.]*(Error|Exception|Fault|NotFound|BadRequest|Conflict|Forbidden)'
                    r'\b', line):
            last = line
            break
    # tempest's HTTP errors put the body on a 'Details:' line of their own.
    for line in reversed(lines[-6:]):
        if line.startswith('Details:') and line is not last:
            last = '%s %s' % (last, line)
            break
    for pattern, replacement in _NOISE:
        last = pattern.sub(replacement, last)
    return last[:300]


def skip_reason(test):
    details = test['details']
    return (details.get('reason') or details.get('traceback') or 'no reason given').strip()


def summarise(results, driver, known=None, services=None, class_errors=None):
    """(counts, skips by reason, failures by (category, why) then by cause).

    A failure whose test saw a 5xx answer is put down to that answer (which
    service, which call) rather than to the assertion it ended in."""
    known = load_known() if known is None else known
    counts = collections.Counter()
    skips = collections.defaultdict(list)
    failures = {}   # category or None -> {cause: [test ids]}
    for test in results:
        status = test['status']
        if status in ('success', 'xfail'):
            counts['passed'] += 1
        elif status == 'skip':
            counts['skipped'] += 1
            skips[skip_reason(test)].append(short_id(test['id']))
        elif status in ('fail', 'uxsuccess'):
            counts['failed'] += 1
            test_id = short_id(test['id'])
            match = _TEST_ID.match(test_id)
            plain = match.group(1) if match else test_id
            errors = server_errors(test['details'].get("pythonlogging:''"), services)
            if errors:
                why = errors[0][1]
            elif match and plain.rsplit('.', 1)[-1] in (class_errors or {}):
                why = class_errors[plain.rsplit('.', 1)[-1]]
            else:
                why = cause(test['details'].get('traceback'))
            entry = next((k for k in known if k.matches(plain, driver, why)), None)
            key = (entry.category, entry.why) if entry else (None, None)
            failures.setdefault(key, collections.defaultdict(list))[why].append(test_id)
    return counts, skips, failures


def render(counts, skips, failures, seconds=None, verbose=True):
    lines = []
    total = sum(counts.values())
    head = '%d passed, %d failed, %d skipped' % (counts['passed'], counts['failed'],
                                                 counts['skipped'])
    unexplained = sum(len(ids) for ids in failures.get((None, None), {}).values())
    lines.append('tempest: %d tests%s' % (total, ' in %.0fs' % seconds if seconds else ''))
    if failures:
        lines.append('')
        lines.append('Failures:')
    order = sorted(failures, key=lambda key: (key[0] is None, key[0] or '', key[1] or ''))
    for category, why in order:
        causes = failures[(category, why)]
        n = sum(len(ids) for ids in causes.values())
        if category is None:
            lines.append('  unexplained (%d): not in tools/tempest_lib/known_failures.txt' % n)
        else:
            lines.append('  (%s) %s: %s (%d)' % (category, CATEGORIES[category], why, n))
        for text, ids in sorted(causes.items(), key=lambda item: -len(item[1])):
            lines.append('      cause: %s' % text)
            for test_id in sorted(ids):
                lines.append('        - %s' % test_id)
    if skips:
        lines.append('')
        lines.append('Skips by reason:')
        for reason, ids in sorted(skips.items(), key=lambda item: -len(item[1])):
            lines.append('  %4d  %s' % (len(ids), reason.splitlines()[0][:200]))
            if verbose:
                for test_id in sorted(ids)[:3]:
                    lines.append('          e.g. %s' % test_id)
    lines.append('')
    if unexplained:
        lines.append('%d unexplained failures' % unexplained)
    lines.append(head)
    return '\n'.join(lines)
