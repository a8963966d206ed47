"""Celery task: deliver one outbox notice, retrying after a backoff when the mail server refuses.

The periodic sweep's task is in notices.sweep; each app's own clocks have their own tasks.
"""

from celery import shared_task
from django.conf import settings

from . import delivery
from .models import Notice


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_notice_task(self, notice_id: int) -> str:
    """Send one pending notice; when the mail server refuses it, try again after a backoff."""
    outcome = delivery.deliver_notice(notice_id)
    if outcome == delivery.Delivery.RETRY:
        # The row counts the tries and fails itself after the last one; the countdown is the
        # mail-server backoff (seconds to minutes), not a business deadline.
        attempts = Notice.objects.values_list("attempts", flat=True).get(pk=notice_id)
        delay = delivery.retry_delay(attempts).total_seconds()
        raise self.retry(countdown=delay, max_retries=settings.NOTICE_MAX_ATTEMPTS)
    return str(outcome)
