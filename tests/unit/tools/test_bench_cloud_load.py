"""tools/bench/cloud_load: its counting and its view of idle connections."""

import http.client
import socket
import threading

from tools.bench import cloud_load


def test_report_counts_codes_and_fails_on_5xx_or_drops(capsys):
    counts = cloud_load.Counts()
    for code in (201, 201, 204):
        counts.add('keystone', code)
    counts.add('nova', 202)
    assert cloud_load.report(counts, 1.0, 8) == 0
    out = capsys.readouterr().out
    assert 'keystone   201: 2, 204: 1; 5xx: 0; dropped: 0' in out
    assert 'no 5xx, no dropped connection' in out
    counts.add('glance', 500)
    counts.add('placement', 'dropped')
    assert cloud_load.report(counts, 1.0, 8) == 1
    assert '2 answers were 5xx or dropped' in capsys.readouterr().out


def test_an_idle_connection_the_server_closed_is_not_reused():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]))
    thread.start()
    conn = http.client.HTTPConnection('127.0.0.1', listener.getsockname()[1], timeout=5)
    conn.connect()
    thread.join()
    assert not cloud_load._closed_by_server(conn)
    accepted[0].close()
    conn.sock.settimeout(5)
    import select
    select.select([conn.sock], [], [], 5)
    assert cloud_load._closed_by_server(conn)
    conn.close()
    listener.close()
    assert not cloud_load._closed_by_server(conn)
