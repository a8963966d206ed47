"""The outbox's own sweep: notices stuck pending are handed to Celery again, and nothing else."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from ccee_portal.celery import app
from notices import sweep
from notices.models import Notice
from tests.factories import submitted_request

T0 = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # a Monday, 9:00 in California


def at(delta):
    return time_machine.travel(T0 + delta, tick=False)


@pytest.fixture
def received(db, reviewer, lead):
    with at(timedelta(0)):
        return submitted_request()


def test_stuck_pending_notices_are_handed_to_celery_again(
    received, django_capture_on_commit_callbacks
):
    # Submitted without on-commit delivery: as if the broker had been down.
    pending = Notice.objects.filter(request=received, status=Notice.Status.PENDING)
    assert pending.count() == 4 and not pending.filter(last_enqueued_at__isnull=False).exists()
    stuck_after = timedelta(seconds=settings.NOTICE_STUCK_AFTER_SECONDS)
    with at(stuck_after - timedelta(seconds=1)):
        assert sweep.notice_sweep().reenqueued == 0  # too recent: on-commit delivery may run
    with at(stuck_after):
        assert sweep.notice_sweep().reenqueued == 4
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}


def test_sweep_leaves_failed_retrying_and_recently_enqueued_notices_alone(received):
    rows = list(Notice.objects.filter(request=received).order_by("pk"))
    Notice.objects.filter(pk=rows[0].pk).update(status=Notice.Status.FAILED)
    Notice.objects.filter(pk=rows[1].pk).update(next_attempt_at=T0 + timedelta(minutes=30))
    recently = T0 + timedelta(minutes=10, seconds=1 - settings.NOTICE_STUCK_AFTER_SECONDS)
    Notice.objects.filter(pk=rows[2].pk).update(last_enqueued_at=recently)
    with at(timedelta(minutes=10)):
        assert sweep.notice_sweep().reenqueued == 1
    statuses = dict(Notice.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in rows] == ["failed", "pending", "pending", "sent"]
    with at(timedelta(minutes=31)):
        assert sweep.notice_sweep().reenqueued == 2


def test_with_nothing_stuck_a_sweep_is_one_read(received, django_assert_num_queries):
    Notice.objects.update(status=Notice.Status.SENT)
    with at(timedelta(hours=1)), django_assert_num_queries(1):
        assert sweep.notice_sweep().reenqueued == 0


def test_beat_runs_the_stuck_notice_sweep_so_a_stuck_notice_is_handed_over_within_a_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["notice-sweep"]
    app.loader.import_default_modules()  # what a worker and beat import when they start
    assert entry["task"] in app.tasks
    # Stuck for NOTICE_STUCK_AFTER_SECONDS, then found by the next sweep at the latest.
    assert entry["schedule"] + settings.NOTICE_STUCK_AFTER_SECONDS <= 60
    # A broker message of a killed worker comes back only after every task's time limit.
    transport = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if "visibility_timeout" in transport:
        assert transport["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
