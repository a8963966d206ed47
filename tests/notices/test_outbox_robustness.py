"""The outbox under faults: counted attempts, possible duplicates, database errors, bad emails,
one publish per transaction, and the broker's circuit breaker against a hung Redis."""

import socket
import time
from datetime import timedelta

import circuitbreaker
import pytest
from django.core import mail
from django.core.mail import BadHeaderError
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from ccee_portal.celery import app
from notices import broker, delivery, services, tasks
from notices.models import Notice
from requests_intake.notice_kinds import K
from tests.factories import submitted_request


class WorkerDied(BaseException):
    """A worker killed at this point: nothing after it runs, nothing catches it."""


@pytest.fixture
def receipt(db):
    req = submitted_request()
    mail.outbox.clear()
    notice = Notice.objects.filter(request=req, kind=K.RECEIPT).first()
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.PENDING, attempts=0)
    notice.refresh_from_db()
    return notice


def die_after_the_server_accepted(monkeypatch):
    def die(notice):
        raise WorkerDied

    monkeypatch.setattr(delivery, "mark_sent", die)


def test_the_attempt_is_counted_before_the_mail_server_is_spoken_to(receipt, monkeypatch):
    die_after_the_server_accepted(monkeypatch)
    with pytest.raises(WorkerDied):
        delivery.deliver_notice(receipt.pk)
    receipt.refresh_from_db()
    assert len(mail.outbox) == 1  # the server accepted it ...
    assert receipt.status == Notice.Status.PENDING  # ... the mark was rolled back ...
    assert receipt.attempts == 1 and receipt.attempt_started_at is not None  # ... not the count


def test_a_redelivery_after_a_crash_counts_two_attempts_and_flags_a_possible_duplicate(
    receipt, monkeypatch, settings, client, reviewer
):
    original = delivery.mark_sent
    die_after_the_server_accepted(monkeypatch)
    with pytest.raises(WorkerDied):
        delivery.deliver_notice(receipt.pk)
    monkeypatch.setattr(delivery, "mark_sent", original)

    # The attempt under way is left alone while it may still be running ...
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.BUSY
    # ... and taken as dead once NOTICE_ATTEMPT_SECONDS have passed.
    Notice.objects.filter(pk=receipt.pk).update(
        attempt_started_at=timezone.now() - timedelta(seconds=settings.NOTICE_ATTEMPT_SECONDS + 1)
    )
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.SENT
    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.SENT
    assert receipt.attempts == 2 and receipt.possible_duplicate
    assert receipt.attempt_started_at is None
    assert len(mail.outbox) == 2

    client.force_login(reviewer)
    page = client.get(reverse("admin:notices_notice_changelist"))
    assert "Possible duplicate (2 attempts)" in page.content.decode()
    flagged = client.get(
        reverse("admin:notices_notice_changelist"), {"possible_duplicate__exact": 1}
    )
    assert receipt.recipient_email in flagged.content.decode()


def test_a_clean_delivery_and_a_refusal_then_success_are_not_flagged(receipt, monkeypatch):
    calls = []

    def refuse_once(notice, notes=()):
        calls.append(notice.pk)
        if len(calls) == 1:
            raise ConnectionRefusedError(111, "Connection refused")
        mail.send_mail("x", "y", None, [notice.recipient_email])

    monkeypatch.setattr(delivery, "send_notice_email", refuse_once)
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.RETRY
    assert delivery.deliver_notice(receipt.pk, after_attempts=1) == delivery.Delivery.SENT
    receipt.refresh_from_db()
    assert receipt.attempts == 2 and not receipt.possible_duplicate


def test_a_second_copy_of_a_retry_sends_nothing(receipt, monkeypatch):
    def refuse(notice, notes=()):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(delivery, "send_notice_email", refuse)
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.RETRY
    monkeypatch.undo()
    assert delivery.deliver_notice(receipt.pk, after_attempts=1) == delivery.Delivery.SENT
    # The broker handed the retry's message out again: it follows attempt 1, now passed.
    Notice.objects.filter(pk=receipt.pk).update(status=Notice.Status.PENDING)
    assert delivery.deliver_notice(receipt.pk, after_attempts=1) == delivery.Delivery.SKIPPED


def test_a_header_the_mail_library_refuses_fails_the_notice_with_its_error(receipt):
    Notice.objects.filter(pk=receipt.pk).update(subject="Received\r\nBcc: victim@example.org")
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.FAILED
    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.FAILED
    assert "BadHeaderError" in receipt.last_error
    assert receipt.attempt_started_at is None
    assert mail.outbox == []


def test_any_other_error_building_the_email_fails_the_notice(receipt, monkeypatch):
    def broken(notice, notes=()):
        raise BadHeaderError("Header values can't contain newlines")

    monkeypatch.setattr(delivery, "send_notice_email", broken)
    assert tasks.deliver_notice_task.delay(receipt.pk).get() == "failed"
    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.FAILED and "newlines" in receipt.last_error


def test_a_delivery_task_retries_a_database_error_with_a_doubling_wait(receipt, monkeypatch):
    original = delivery.deliver_notice
    calls = []

    def database_gone_once(notice_id, after_attempts=None):
        calls.append(notice_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(notice_id, after_attempts)

    monkeypatch.setattr(delivery, "deliver_notice", database_gone_once)
    countdowns = []
    original_retry = tasks.deliver_notice_task.retry

    def record_retry(*args, **kwargs):
        countdowns.append(kwargs.get("countdown"))
        return original_retry(*args, **kwargs)

    monkeypatch.setattr(tasks.deliver_notice_task, "retry", record_retry)
    conf = app.conf
    conf.task_eager_propagates = False  # eager Celery runs the retry at once, as a worker would
    try:
        assert tasks.deliver_notice_task.delay(receipt.pk).get() == "sent"
    finally:
        conf.task_eager_propagates = True
    assert calls == [receipt.pk, receipt.pk]
    assert countdowns == [tasks.database_retry_delay(0)]
    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.SENT and receipt.attempts == 1


def test_database_retry_waits_double_up_to_a_cap(settings):
    settings.NOTICE_DB_RETRY_BASE_SECONDS = 1
    settings.NOTICE_DB_RETRY_MAX_SECONDS = 60
    assert [tasks.database_retry_delay(n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_a_submission_hands_all_its_notices_to_the_broker_in_one_publish(
    db, reviewer, lead, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(broker, "publish_batches", lambda task, batches: published.append(batches))
    with django_capture_on_commit_callbacks(execute=True):
        req = submitted_request()
    ids = sorted(Notice.objects.filter(request=req).values_list("pk", flat=True))
    assert len(ids) == 4  # two receipts, two alerts, from two kinds
    assert published == [[ids]]


class HungBroker:
    """A TCP port that accepts connections and never answers: a Redis stopped by SIGSTOP."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)  # the kernel completes the handshakes; nobody ever reads

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"

    def close(self):
        self.sock.close()


@pytest.fixture
def hung_broker(settings):
    hung = HungBroker()
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = hung.url, False
    app._pool = None
    app.amqp._producer_pool = None
    yield hung
    app.conf.broker_url, app.conf.task_always_eager = previous
    app._pool = None
    app.amqp._producer_pool = None
    hung.close()


class Spy:
    """Count the broker connections the outbox opens."""

    def __init__(self, monkeypatch):
        self.opened = 0
        original = app.connection_for_write

        def counted(*args, **kwargs):
            self.opened += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(app, "connection_for_write", counted)


def test_a_hung_broker_costs_one_publish_its_timeout_then_the_breaker_skips_it(
    receipt, hung_broker, settings, monkeypatch
):
    # The publish waits for Redis only as long as these (bench_load.py measures the time).
    options = broker.publish_transport_options(app)
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 0.5
    assert options["max_retries"] == 0
    spy = Spy(monkeypatch)

    assert services.enqueue_delivery(ids=[receipt.pk]) == 0  # the hung broker timed out
    tried = spy.opened
    assert tried >= 1
    assert services.enqueue_delivery(ids=[receipt.pk]) == 0  # the breaker is open ...
    assert spy.opened == tried  # ... so the broker was not tried
    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.PENDING and receipt.last_enqueued_at is None

    # After NOTICE_BROKER_BREAKER_SECONDS one publish tries again (and here meets the hang).
    later = time.monotonic() + settings.NOTICE_BROKER_BREAKER_SECONDS + 1
    monkeypatch.setattr(circuitbreaker, "monotonic", lambda: later)
    assert services.enqueue_delivery(ids=[receipt.pk]) == 0
    assert spy.opened > tried


def test_an_error_of_the_task_run_in_process_does_not_open_the_breaker(receipt, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("a bug in the task, not a broker outage")

    monkeypatch.setattr(tasks.deliver_notices_task, "apply_async", explode)
    assert services.enqueue_delivery(ids=[receipt.pk]) == 0
    assert broker.breaker.closed
