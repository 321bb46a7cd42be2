"""smartcity.broker: publishing reuses one Redis client per pool and messages still reach their queue."""

import uuid

import pytest

from smartcity.broker import Transport

pytestmark = pytest.mark.redis


def test_the_app_publishes_through_the_project_transport_with_one_client_per_pool():
    from smartcity.celery import app

    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)
        channel = connection.default_channel
        first = channel._create_client()
        assert channel._create_client() is first
        channel._disconnect_pools()  # what closing does: a new pool, and with it a new client
        assert channel._create_client() is not first
        assert channel._create_client().connection_pool is channel.pool


def test_a_published_message_reaches_its_queue():
    from smartcity.celery import app

    name = f"test-broker-{uuid.uuid4().hex}"
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(name)
        try:
            queue.put({"ticket": 42})
            queue.put({"ticket": 43})
            received = [queue.get(timeout=5) for _ in range(2)]
            assert sorted(m.payload["ticket"] for m in received) == [42, 43]
            for message in received:
                message.ack()
        finally:
            queue.queue.delete()
            queue.close()
