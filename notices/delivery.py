"""Deliver one outbox row: lock it, send it, mark it sent, all in one transaction.

A second delivery of the same row (the sweep's, or the broker's after a lost worker) waits for
the lock and then finds the row sent: the only window for a second email is a worker dying
between the mail server's "accepted" and the commit.
"""

import hashlib
import logging
import smtplib
from datetime import timedelta
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import Notice
from .rendering import at_send

logger = logging.getLogger(__name__)

# What a mail server or the network may answer that is worth another try later.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


class Delivery(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent or failed, or gone
    RETRY = "retry"  # the mail server refused; next_attempt_at says when to try again
    FAILED = "failed"  # refused on the last try; a lead can resend it from the admin


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` refused tries (doubling)."""
    return timedelta(seconds=settings.NOTICE_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def message_id(notice: Notice) -> str:
    """Return the notice's Message-ID: the same for every delivery of one outbox row.

    Derived from the row's unique key, so a recipient's mail system can tell a redelivery
    (after a worker died between the server's "accepted" and the commit) from a new notice.
    """
    digest = hashlib.sha256(notice.key.encode()).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "ccee-ca.org"
    return f"<notice.{digest}@{domain}>"


def send_notice_email(notice: Notice) -> None:
    """Send one notice as a text email with an HTML alternative, and its stored attachments.

    Links are completed with SITE_URL now (rendering.at_send), not when the row was queued.
    """
    message = EmailMultiAlternatives(
        subject=at_send(notice.subject),
        body=at_send(notice.body_text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient_email],
        headers={"Message-ID": message_id(notice)},
    )
    if notice.body_html:
        message.attach_alternative(at_send(notice.body_html), "text/html")
    for attachment in notice.attachments.all():
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.content_type)
    message.send()


def mark_sent(notice: Notice) -> None:
    notice.status = Notice.Status.SENT
    notice.sent_at = timezone.now()
    notice.next_attempt_at = None
    notice.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at"])


def _record_refusal(notice: Notice, exc: Exception) -> Delivery:
    notice.last_error = f"Attempt {notice.attempts}: {type(exc).__name__}: {exc}"[:2000]
    if notice.attempts >= settings.NOTICE_MAX_ATTEMPTS:
        notice.status = Notice.Status.FAILED
        notice.next_attempt_at = None
        outcome = Delivery.FAILED
        logger.error("Notice %s failed after %d tries: %s", notice.pk, notice.attempts, exc)
    else:
        now = timezone.now()
        notice.next_attempt_at = now + retry_delay(notice.attempts)
        notice.last_enqueued_at = now
        outcome = Delivery.RETRY
    notice.save(
        update_fields=["status", "attempts", "last_error", "next_attempt_at", "last_enqueued_at"]
    )
    return outcome


def deliver_notice(notice_id: int) -> Delivery:
    """Send a pending notice once: lock the row, send, mark it sent, all in one transaction.

    A mail-server error is recorded on the row (attempts, last_error, next_attempt_at) and,
    after the last allowed try, the row is failed.
    """
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.PENDING:
            return Delivery.SKIPPED
        notice.attempts += 1
        try:
            send_notice_email(notice)
        except TRANSIENT_MAIL_ERRORS as exc:
            return _record_refusal(notice, exc)
        mark_sent(notice)
    return Delivery.SENT
