"""``make run`` (no Redis) names its in-process broker with a host: kombu logged "No hostname was supplied.
Reverting to default 'localhost'" into make run's output each time it described a connection to "memory://"."""

from __future__ import annotations

import logging

from kombu import Connection

from smartcity.settings.base import IN_PROCESS_BROKER_URL


def test_the_in_process_broker_is_described_without_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="kombu"):
        info = Connection(IN_PROCESS_BROKER_URL).info()
    assert info["transport"] == "memory"
    assert [record.getMessage() for record in caplog.records] == []
