"""Celery tasks: deliver outbox notices."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import Notice


@shared_task(bind=True, acks_late=True, max_retries=5)
def deliver_notice_task(self, notice_id: int) -> str:
    """Send one pending notice and mark it sent; the row lock makes a second run send nothing."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.PENDING:
            return "skipped"
        message = EmailMultiAlternatives(
            subject=notice.subject,
            body=notice.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.recipient_email],
        )
        if notice.body_html:
            message.attach_alternative(notice.body_html, "text/html")
        notice.attempts += 1
        message.send()
        notice.status = Notice.Status.SENT
        notice.sent_at = timezone.now()
        notice.last_error = ""
        notice.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return "sent"
