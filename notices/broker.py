"""Hand notices to Celery: one publish per transaction, short timeouts, a circuit breaker.

Publishing happens inside web requests (on commit). A Redis that is down refuses the connection
at once; one that accepts it and never answers (hung, SIGSTOPped, a full disk) would hold the
person's request for the socket timeout. So the publish has timeouts of its own
(NOTICE_BROKER_TIMEOUT_SECONDS, shorter than the worker's), is not retried, and a failure opens
this process's circuit breaker for NOTICE_BROKER_BREAKER_SECONDS: the submissions in that window
do not try the broker at all. Their notices stay pending, and the sweep hands them over once the
broker answers again. A hung Redis costs a submission at most about one timeout, once per
process and window.
"""

import contextlib
import logging
import os
import threading

from circuitbreaker import CircuitBreaker, CircuitBreakerError
from django.conf import settings
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


# What a broker that is down, hung or refusing raises (kombu wraps most as OperationalError).
BROKER_ERRORS = (KombuError, RedisError, OSError)


class BrokerBreaker(CircuitBreaker):
    """Opens on the first failed publish; lets one publish try again after the recovery time."""

    FAILURE_THRESHOLD = 1
    EXPECTED_EXCEPTION = BROKER_ERRORS


breaker = BrokerBreaker(
    recovery_timeout=settings.NOTICE_BROKER_BREAKER_SECONDS, name="notice-broker"
)


def publish_transport_options(app) -> dict:
    """Return the broker transport options of a web-side publish: short socket timeouts."""
    timeout = settings.NOTICE_BROKER_TIMEOUT_SECONDS
    options = dict(app.conf.broker_transport_options or {})
    if app.conf.broker_url.startswith(("redis://", "rediss://")):
        options.update(socket_connect_timeout=timeout, socket_timeout=timeout, max_retries=0)
    return options


# The publishing connection of this process and thread, kept between publishes: opening one per
# submission (a TCP connection, a client, the queue's declaration) was most of the publish's
# time. It is keyed by process (a fork makes its own) and broker URL, and dropped on any error.
_held = threading.local()


def _connection(app):
    """Return this process's broker connection for publishing, opened on first use."""
    key = (os.getpid(), app.conf.broker_url)
    held = getattr(_held, "connection", None)
    if held is not None and held[0] == key:
        return held[1]
    drop_connection()
    connection = app.connection_for_write(
        connect_timeout=settings.NOTICE_BROKER_TIMEOUT_SECONDS,
        transport_options=publish_transport_options(app),
    )
    _held.connection = (key, connection)
    return connection


def drop_connection() -> None:
    """Close the kept publishing connection (after an error, or to point at another broker)."""
    held = getattr(_held, "connection", None)
    _held.connection = None
    if held is not None and held[0][0] == os.getpid():
        # A broken connection may fail to close; it is dropped all the same.
        with contextlib.suppress(Exception):
            held[1].release()


@breaker
def _publish(task, batches: list[list[int]]) -> None:
    connection = _connection(task.app)
    try:
        for batch in batches:
            task.apply_async((batch,), connection=connection, retry=False)
    except BaseException:
        drop_connection()
        raise


def publish_batches(task, batches: list[list[int]]) -> bool:
    """Publish one message per batch of notice ids; return whether the broker took them.

    Any failure (or an open breaker) returns False and leaves the notices to the sweep.
    """
    if not batches:
        return True
    if task.app.conf.task_always_eager:
        return _run_eagerly(task, batches)
    try:
        _publish(task, batches)
    except CircuitBreakerError:
        logger.warning("Broker breaker open: %d batch(es) left to the sweep.", len(batches))
        return False
    except Exception:  # noqa: BLE001 - any broker failure: the sweep enqueues the rows later
        logger.warning(
            "Could not hand %d batch(es) of notices to Celery (broker unreachable); the sweep "
            "will retry.",
            len(batches),
            exc_info=True,
        )
        return False
    return True


def _run_eagerly(task, batches: list[list[int]]) -> bool:
    """Run the batches in this process (tests, CELERY_TASK_ALWAYS_EAGER): no broker to guard."""
    try:
        for batch in batches:
            task.apply_async((batch,))
    except Exception:  # noqa: BLE001 - as a failed publish: the rows stay for the sweep
        logger.warning("Delivering %d batch(es) in process failed.", len(batches), exc_info=True)
        return False
    return True
