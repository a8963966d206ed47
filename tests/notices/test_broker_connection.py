"""The web side's publishing connection is kept between publishes and dropped on an error."""

import pytest

from ccee_portal.celery import app
from notices import broker
from notices.tasks import deliver_notices_task


@pytest.fixture
def real_broker(settings):
    """Publish to the test Redis for real (the suite runs tasks eagerly otherwise)."""
    # `make test` stops before the suite when the test Redis does not answer, so this holds.
    assert app.conf.broker_url.startswith("redis://"), "the suite's broker is the test Redis"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)


@pytest.fixture
def connections_used(monkeypatch):
    """The connection each publish went through, and a switch to make the next one fail."""
    used = []
    real_apply = deliver_notices_task.apply_async

    def recorded(*args, **kwargs):
        used.append(kwargs["connection"])
        if getattr(recorded, "fail", False):
            raise ConnectionError("the broker went away")
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(deliver_notices_task, "apply_async", recorded)
    return used, recorded


def test_consecutive_publishes_share_one_connection(real_broker, connections_used):
    used, _ = connections_used

    assert broker.publish_batches(deliver_notices_task, [[1_000_001]])
    assert broker.publish_batches(deliver_notices_task, [[1_000_002], [1_000_003]])

    assert len(used) == 3 and len({id(c) for c in used}) == 1


def test_a_failed_publish_drops_the_connection_and_the_next_one_opens_anew(
    real_broker, connections_used
):
    used, publish = connections_used
    assert broker.publish_batches(deliver_notices_task, [[1_000_001]])
    publish.fail = True
    assert not broker.publish_batches(deliver_notices_task, [[1_000_002]])
    publish.fail = False
    broker.breaker.reset()  # its recovery time is up

    assert broker.publish_batches(deliver_notices_task, [[1_000_003]])

    first, failed, fresh = used
    assert failed is first and fresh is not first
