"""serve_wsgi --one-at-a-time: concurrent requests queue instead of overlapping."""

import threading
import time

from tools.allinone_lib import serve_wsgi


def test_requests_queue_one_behind_the_other():
    inside = []
    most = []
    closed = []

    class Body(list):
        def close(self):
            closed.append(True)

    def app(environ, start_response):
        inside.append(1)
        most.append(len(inside))
        time.sleep(0.01)
        inside.pop()
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return Body([b'a', b'b'])

    wrapped = serve_wsgi.one_at_a_time(app)
    results = []

    def call():
        results.append(wrapped({}, lambda status, headers: None))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(most) == 1
    assert results == [[b'ab']] * 8
    assert len(closed) == 8
