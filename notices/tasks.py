"""Celery tasks: deliver outbox notices, retrying after a backoff when the mail server refuses.

A transaction's notices travel in one message (deliver_notices_task); a refused one is retried
alone (deliver_notice_task). A database error (a restarted or unreachable PostgreSQL) retries
the task with a doubling wait, capped; the sweep (notices.sweep) catches whatever is still
pending after that.
"""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.utils import timezone

from . import delivery
from .models import Notice

DATABASE_ERRORS = (DatabaseError, InterfaceError)


def database_retry_delay(retries: int) -> float:
    """Return the wait before retry number `retries` + 1 after a database error (doubling)."""
    base = settings.NOTICE_DB_RETRY_BASE_SECONDS
    return min(base * 2**retries, settings.NOTICE_DB_RETRY_MAX_SECONDS)


def _retry_on_database_error(task, exc):
    return task.retry(
        exc=exc,
        countdown=database_retry_delay(task.request.retries),
        max_retries=settings.NOTICE_DB_MAX_RETRIES,
    )


def _followup(notice_id: int, outcome: delivery.Delivery):
    """Return (countdown, attempts so far) for a notice to try again, or None when it is done."""
    if outcome not in (delivery.Delivery.RETRY, delivery.Delivery.BUSY):
        return None
    attempts, started = Notice.objects.values_list("attempts", "attempt_started_at").get(
        pk=notice_id
    )
    if outcome == delivery.Delivery.RETRY:
        # The row counts the tries and fails itself after the last one; the countdown is the
        # mail-server backoff (seconds to minutes), not a business deadline.
        return delivery.retry_delay(attempts).total_seconds(), attempts
    # Try again when the attempt under way may be taken as dead (it is skipped if it ended).
    now = timezone.now()
    until = delivery.attempt_busy_until_started(started, now)
    return (max((until - now).total_seconds(), 0) + 1 if until else 1.0), attempts


DELIVERY_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    # An attempt older than NOTICE_ATTEMPT_SECONDS is taken as dead: the task never runs longer.
    "soft_time_limit": max(settings.NOTICE_ATTEMPT_SECONDS - 5, 1),
    "time_limit": settings.NOTICE_ATTEMPT_SECONDS,
}


@shared_task(max_retries=None, **DELIVERY_TASK_OPTIONS)
def deliver_notice_task(self, notice_id: int, after_attempts: int | None = None) -> str:
    """Send one pending notice; when the mail server refuses it, try again after a backoff.

    A retry carries the number of attempts it follows, so a second copy of it (handed out again
    by the broker) finds that number passed and sends nothing.
    """
    try:
        outcome = delivery.deliver_notice(notice_id, after_attempts)
        again = _followup(notice_id, outcome)
    except DATABASE_ERRORS as exc:
        raise _retry_on_database_error(self, exc) from exc
    if again is not None:
        countdown, attempts = again
        raise self.retry(
            args=(notice_id, attempts),
            countdown=countdown,
            max_retries=settings.NOTICE_MAX_ATTEMPTS * 2,
        )
    return str(outcome)


# A batch runs under the global time limits (below the broker's visibility timeout); each of its
# attempts is bounded by EMAIL_TIMEOUT, well inside NOTICE_ATTEMPT_SECONDS.
@shared_task(bind=True, acks_late=True)
def deliver_notices_task(self, notice_ids: list[int]) -> dict:
    """Send the notices of one transaction (or one sweep batch), handed over in one message.

    Each notice is delivered on its own (its own attempt and lock); one the mail server refuses
    is retried alone after its backoff. After a database error the whole message is retried:
    the notices sent already are skipped.
    """
    outcomes: dict[str, int] = {}
    try:
        for notice_id in notice_ids:
            outcome = delivery.deliver_notice(notice_id)
            again = _followup(notice_id, outcome)
            if again is not None:
                countdown, attempts = again
                deliver_notice_task.apply_async((notice_id, attempts), countdown=countdown)
            outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
    except DATABASE_ERRORS as exc:
        raise _retry_on_database_error(self, exc) from exc
    return outcomes
