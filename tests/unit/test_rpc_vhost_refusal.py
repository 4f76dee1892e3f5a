"""nova.rpc: what the process-wide transport set-up adjusts in the AMQP client."""

from amqp import exceptions as amqp_exc
import kombu

from nova import rpc


def test_a_refused_vhost_is_retried_like_an_unreachable_broker():
    rpc._wait_out_vhost_refusals()
    rpc._wait_out_vhost_refusals()  # idempotent: added once
    connection = kombu.Connection('amqp://guest:guest@127.0.0.1:1/vhost')
    recoverable = connection.recoverable_connection_errors
    assert recoverable.count(amqp_exc.NotAllowed) == 1
    # kombu's own classification is kept: sockets still count, a refused
    # login (the broker closes the socket) still counts, channel errors
    # are left alone.
    assert OSError in recoverable
    assert amqp_exc.AccessRefused not in recoverable
    assert issubclass(amqp_exc.NotAllowed, connection.connection_errors)
