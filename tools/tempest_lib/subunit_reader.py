"""Read a subunit v2 stream on stdin, print its tests as JSON on stdout.

Runs inside tempest's virtualenv, which has python-subunit and testtools.
"""

import json
import sys

import subunit
import testtools


def read(stream):
    results = []

    def on_test(test):
        details = {}
        for name, content in (test.get('details') or {}).items():
            try:
                details[name] = content.as_text()
            except Exception:  # noqa: BLE001 - a binary attachment: not needed
                continue
        results.append({'id': test['id'], 'status': test['status'], 'details': details,
                        'tags': sorted(test.get('tags') or ())})

    case = subunit.ByteStreamToStreamResult(stream, non_subunit_name='stdout')
    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    try:
        case.run(result)
    finally:
        result.stopTestRun()
    return results


if __name__ == '__main__':
    json.dump(read(sys.stdin.buffer), sys.stdout)
