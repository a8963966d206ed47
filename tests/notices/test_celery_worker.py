"""Notices through a real Celery worker on Redis: once each, none lost.

The worker runs in a thread of this process (celery.contrib.testing), on the Redis database of
REDIS_URL, with its own database connection; mail goes to the locmem outbox (or a local SMTP
server). Tests wait for the worker's tasks to finish, never on the clock.
"""

import socket
import subprocess
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.utils import timezone

from ccee_portal.celery import app
from notices import broker, delivery, sweep
from notices.models import Notice
from notices.tasks import deliver_notice_task
from requests_intake.models import AssistanceRequest
from requests_intake.notice_kinds import K
from tests.factories import submitted_request

pytestmark = [pytest.mark.celery_worker_real, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 30


class TaskWatch:
    """Wake the test each time the worker finishes a task, so it can check the database."""

    def __init__(self):
        self.finished = threading.Condition()
        self.states = []

    def on_postrun(self, state=None, **kwargs):
        with self.finished:
            self.states.append(state)
            self.finished.notify_all()

    def wait_until(self, check, what):
        deadline = time.monotonic() + WAIT_SECONDS
        with self.finished:
            while not check():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"The worker did not finish in {WAIT_SECONDS} s: {what}")
                self.finished.wait(min(remaining, 0.5))


@pytest.fixture
def watch():
    tasks = TaskWatch()
    task_postrun.connect(tasks.on_postrun, weak=False)
    yield tasks
    task_postrun.disconnect(tasks.on_postrun)


def use_broker(url):
    """Point the app (and its connection pools) at another broker."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(watch):
    app.control.purge()
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        yield watch


def all_sent():
    return not Notice.objects.exclude(status=Notice.Status.SENT).exists()


def delivered_to():
    return Counter((m.to[0], m.subject) for m in mail.outbox)


def test_a_submission_yields_exactly_one_receipt_and_one_alert(worker, reviewer):
    req = submitted_request()
    worker.wait_until(all_sent, "the submission's notices")
    lea_people = sorted([req.primary_contact_email, req.created_by.email])
    receipts = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Received:"))
    alerts = [m.to[0] for m in mail.outbox if m.subject.startswith("New Request")]
    assert receipts == lea_people
    assert alerts == [reviewer.email]
    assert len(mail.outbox) == 3
    assert set(Notice.objects.values_list("attempts", flat=True)) == {1}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, which it can stop and start again."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stdout:  # blocks until the server says it is ready
            if "Ready to accept connections" in line:
                return
        pytest.fail("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process.stdout.close()
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    previous = app.conf.broker_url
    yield redis
    redis.stop()
    use_broker(previous)


def test_stopping_redis_during_a_submission_loses_nothing(private_redis, watch, reviewer):
    private_redis.start()
    use_broker(private_redis.url)
    private_redis.stop()

    started = time.monotonic()
    req = submitted_request()
    assert time.monotonic() - started < 5  # publishing failed fast; the submission did not hang
    req.refresh_from_db()
    assert req.status == AssistanceRequest.Status.SUBMITTED and req.reference
    pending = Notice.objects.filter(request=req)
    assert pending.count() == 3
    assert set(pending.values_list("status", "last_enqueued_at")) == {("pending", None)}

    private_redis.start()
    # The failed publish opened this process's broker breaker; its recovery time has passed.
    broker.breaker.reset()
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        result = sweep.notice_sweep(now=timezone.now() + timedelta(minutes=10))
        assert result.reenqueued == 3
        watch.wait_until(all_sent, "the notices after Redis came back")
        # A second sweep finds nothing left to hand over.
        assert sweep.notice_sweep(now=timezone.now() + timedelta(minutes=20)).reenqueued == 0
    assert set(delivered_to().values()) == {1}
    assert sorted(to for to, _ in delivered_to()) == sorted(
        [req.primary_contact_email, req.created_by.email, reviewer.email]
    )


@pytest.fixture
def pending_notice(db):
    """Return one pending receipt; the worker fixture purges the messages its submission sent."""
    req = submitted_request()
    mail.outbox.clear()
    Notice.objects.exclude(kind=K.RECEIPT, recipient_email=req.primary_contact_email).delete()
    notice = Notice.objects.get()
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.PENDING, attempts=0)
    return notice


class WorkerDied(SystemExit):
    """What a worker process killed at this point looks like to the code that was running."""


def test_worker_killed_after_marking_sent_does_not_send_twice(pending_notice, worker, monkeypatch):
    original = delivery.deliver_notice

    def deliver_then_die(notice_id, after_attempts=None):
        original(notice_id, after_attempts)  # sent and committed
        raise WorkerDied(1)  # ... and the process dies before the broker hears of it

    monkeypatch.setattr(delivery, "deliver_notice", deliver_then_die)
    with pytest.raises(WorkerDied):
        deliver_notice_task(pending_notice.pk)
    monkeypatch.setattr(delivery, "deliver_notice", original)
    assert len(mail.outbox) == 1

    # The broker hands the unacknowledged message out again, to a worker that is alive.
    deliver_notice_task.delay(pending_notice.pk)
    worker.wait_until(lambda: worker.states == ["SUCCESS"], "the redelivered task")
    assert len(mail.outbox) == 1
    pending_notice.refresh_from_db()
    assert pending_notice.status == Notice.Status.SENT and pending_notice.attempts == 1


def test_worker_killed_after_sending_but_before_marking_sends_on_redelivery(
    pending_notice, worker, monkeypatch
):
    original = delivery.mark_sent

    def die(notice):
        raise WorkerDied(1)  # the mail server accepted it; the row was never marked

    monkeypatch.setattr(delivery, "mark_sent", die)
    with pytest.raises(WorkerDied):
        deliver_notice_task(pending_notice.pk)
    monkeypatch.setattr(delivery, "mark_sent", original)
    pending_notice.refresh_from_db()
    assert pending_notice.status == Notice.Status.PENDING  # rolled back with the transaction
    assert pending_notice.attempts == 1  # counted before the mail server was spoken to
    assert len(mail.outbox) == 1

    # The broker hands the message out again once the dead attempt's time is up.
    Notice.objects.filter(pk=pending_notice.pk).update(
        attempt_started_at=timezone.now() - timedelta(seconds=settings.NOTICE_ATTEMPT_SECONDS)
    )
    deliver_notice_task.delay(pending_notice.pk)
    worker.wait_until(all_sent, "the redelivered task")
    pending_notice.refresh_from_db()
    assert pending_notice.status == Notice.Status.SENT and pending_notice.sent_at
    # At least once: the notice is delivered, here a second time (the one window left open),
    # and the outbox says so: two attempts, a possible duplicate.
    assert [m.to for m in mail.outbox] == [[pending_notice.recipient_email]] * 2
    assert pending_notice.attempts == 2 and pending_notice.possible_duplicate


class RefuseTwiceHandler:
    """An SMTP server that answers 451 (try again later) twice, then accepts."""

    def __init__(self, refusals=2):
        self.refusals = refusals
        self.accepted = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        self.accepted.append(envelope)
        return "250 2.0.0 OK: queued"


@pytest.fixture
def smtp_server(settings):
    handler = RefuseTwiceHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.NOTICE_RETRY_BASE_SECONDS = 0
    yield handler
    controller.stop()


def test_smtp_refusing_twice_then_accepting_delivers_once(pending_notice, smtp_server, worker):
    deliver_notice_task.delay(pending_notice.pk)
    worker.wait_until(all_sent, "the delivery after two refusals")
    pending_notice.refresh_from_db()
    assert pending_notice.attempts == 3
    assert "451" in pending_notice.last_error
    assert len(smtp_server.accepted) == 1
    assert smtp_server.accepted[0].rcpt_tos == [pending_notice.recipient_email]
    assert pending_notice.status == Notice.Status.SENT


@pytest.fixture
def filesystem_broker(tmp_path):
    """Point the app at kombu's file-system transport, as `make run`'s embedded mode does."""
    previous = app.conf.broker_url, app.conf.broker_transport_options
    queue, processed = tmp_path / "queue", tmp_path / "processed"
    queue.mkdir()
    processed.mkdir()
    app.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "store_processed": False,
        # Exchange tables too, or kombu writes them to ./control in the checkout.
        "control_folder": str(tmp_path / "control"),
        "polling_interval": 0.1,
    }
    use_broker("filesystem://")
    yield queue
    app.conf.broker_transport_options = previous[1]
    use_broker(previous[0])


def test_embedded_file_system_broker_delivers_notices_and_runs_the_sweep(
    filesystem_broker, watch, reviewer
):
    from requests_intake.tasks import verification_clock_sweep_task

    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        req = submitted_request()
        watch.wait_until(all_sent, "the submission's notices through the file-system broker")
        AssistanceRequest.objects.filter(pk=req.pk).update(
            received_at=timezone.now() - timedelta(hours=25)
        )
        verification_clock_sweep_task.delay()
        watch.wait_until(
            lambda: Notice.objects.filter(kind=K.VERIFICATION_REMINDER, status="sent").exists(),
            "the sweep's reminder",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [req.primary_contact_email, req.created_by.email, reviewer.email, reviewer.email]
    )
    assert list(filesystem_broker.iterdir()) == []
