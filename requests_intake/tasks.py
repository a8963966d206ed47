"""Celery tasks: deliver outbox notices, and the beat sweep that keeps the 48-hour clock.

Tasks stay thin: they take ids and call requests_intake.notices / requests_intake.sweep. No task
is scheduled hours ahead: the sweep (every NOTICE_SWEEP_SECONDS) finds what is due.
"""

from celery import shared_task
from django.conf import settings

from . import notices, sweep


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_notice_task(self, notice_id: int) -> str:
    """Send one pending notice; when the mail server refuses it, try again after a backoff."""
    outcome = notices.deliver_notice(notice_id)
    if outcome == notices.Delivery.RETRY:
        # The row counts the tries and fails itself after the last one; the countdown is the
        # mail-server backoff (seconds to minutes), not a business deadline.
        attempts = notices.Notice.objects.values_list("attempts", flat=True).get(pk=notice_id)
        delay = notices.retry_delay(attempts).total_seconds()
        raise self.retry(countdown=delay, max_retries=settings.NOTICE_MAX_ATTEMPTS)
    return str(outcome)


@shared_task(acks_late=True)
def notice_sweep_task() -> dict:
    """Queue due 24-hour reminders and 48-hour escalations; hand stuck notices to Celery again."""
    return sweep.notice_sweep().as_dict()
