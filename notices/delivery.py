"""Deliver one outbox row: count the attempt, then send it and mark it sent.

An attempt is counted (and its start recorded) in a transaction of its own, committed before the
mail server is spoken to. Sending and marking sent happen in a second transaction that holds the
row's lock, so a second delivery of the same row (the sweep's, or the broker's after a lost
worker) waits and then finds it sent. The one window for a second email is a worker dying between
the server's "accepted" and that commit: the next attempt then finds the first one's start still
recorded, counts attempts = 2, and flags the row as a possible duplicate for the admin.
"""

import hashlib
import logging
import smtplib
from datetime import timedelta
from email.utils import parseaddr
from enum import StrEnum

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from .attachments import make_attachments
from .models import Notice
from .rendering import at_send

logger = logging.getLogger(__name__)

# What a mail server or the network may answer that is worth another try later.
# A task cut short by its time limit (a mail server that stopped answering) is one of them.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError, SoftTimeLimitExceeded)


class Delivery(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent or failed, gone, or not due yet
    BUSY = "busy"  # another attempt began less than NOTICE_ATTEMPT_SECONDS ago; try after it
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


def send_notice_email(notice: Notice, notes=()) -> None:
    """Send one notice as a text email with an HTML alternative, and its stored attachments.

    Links are completed with SITE_URL now (rendering.at_send), not when the row was queued.
    `notes` are sentences added at the end of both bodies (where to get a file that could not
    be made: notices.attachments); an attachment not made is left out.
    """
    text = notice.body_text + "".join(f"\n{note}\n" for note in notes)
    message = EmailMultiAlternatives(
        subject=at_send(notice.subject),
        body=at_send(text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient_email],
        headers={"Message-ID": message_id(notice)},
    )
    if notice.body_html:
        html = notice.body_html + "".join(f"<p>{escape(note)}</p>" for note in notes)
        message.attach_alternative(at_send(html), "text/html")
    for attachment in notice.attachments.all():
        if not attachment.is_made:
            continue
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.content_type)
    message.send()


def mark_sent(notice: Notice) -> None:
    notice.status = Notice.Status.SENT
    notice.sent_at = timezone.now()
    notice.next_attempt_at = None
    notice.attempt_started_at = None
    notice.save(update_fields=["status", "sent_at", "next_attempt_at", "attempt_started_at"])


def _error_text(notice: Notice, exc: Exception) -> str:
    return f"Attempt {notice.attempts}: {type(exc).__name__}: {exc}"[:2000]


def _record_failure(notice: Notice, exc: Exception) -> Delivery:
    """Fail a notice whose email cannot be built or sent for a reason no retry will change."""
    notice.status = Notice.Status.FAILED
    notice.last_error = _error_text(notice, exc)
    notice.next_attempt_at = None
    notice.attempt_started_at = None
    notice.save(update_fields=["status", "last_error", "next_attempt_at", "attempt_started_at"])
    logger.error("Notice %s failed: %s", notice.pk, exc)
    return Delivery.FAILED


def _record_refusal(notice: Notice, exc: Exception) -> Delivery:
    notice.last_error = _error_text(notice, exc)
    notice.attempt_started_at = None
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
        update_fields=[
            "status",
            "last_error",
            "next_attempt_at",
            "last_enqueued_at",
            "attempt_started_at",
        ]
    )
    return outcome


def attempt_busy_until_started(started_at, now):
    """Return when an attempt begun at `started_at` may be taken as dead; None if it may now."""
    if started_at is None:
        return None
    until = started_at + timedelta(seconds=settings.NOTICE_ATTEMPT_SECONDS)
    return until if until > now else None


def attempt_busy_until(notice: Notice, now):
    """Return when the attempt under way may be taken as dead, or None when none is under way."""
    return attempt_busy_until_started(notice.attempt_started_at, now)


def _claim(notice_id: int, after_attempts: int | None) -> tuple[Delivery | None, Notice | None]:
    """Count an attempt and record its start, committed before the mail server is spoken to."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.PENDING:
            return Delivery.SKIPPED, None
        if after_attempts is not None and notice.attempts != after_attempts:
            # A retry scheduled after attempt n, and attempt n + 1 was made already: this is a
            # second copy of the message (the broker handed it out again).
            return Delivery.SKIPPED, None
        now = timezone.now()
        if attempt_busy_until(notice, now):
            return Delivery.BUSY, notice
        if notice.attempt_started_at is not None:
            # The last attempt began and never ended: its worker died, maybe after "accepted".
            notice.possible_duplicate = True
        notice.attempts += 1
        notice.attempt_started_at = now
        notice.save(update_fields=["attempts", "attempt_started_at", "possible_duplicate"])
    return None, notice


def deliver_notice(notice_id: int, after_attempts: int | None = None) -> Delivery:
    """Send a pending notice once: count the attempt, then send and mark it sent under its lock.

    A mail-server or network error is recorded on the row (last_error, next_attempt_at) and,
    after the last allowed try, the row is failed. Any other error building or sending the email
    (a CR/LF in a header: BadHeaderError, a template that cannot render) fails the row at once
    with its error: a retry would meet it again. Database errors propagate to the task, which
    retries them. `after_attempts` is set on a retry: the number of attempts it follows. Files
    made at sending are made first (notices.attachments), outside the row's lock.
    """
    notes = make_attachments(notice_id)
    outcome, notice = _claim(notice_id, after_attempts)
    if outcome is not None:
        return outcome
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.PENDING:
            return Delivery.SKIPPED
        try:
            send_notice_email(notice, notes)
        except TRANSIENT_MAIL_ERRORS as exc:
            return _record_refusal(notice, exc)
        except Exception as exc:  # noqa: BLE001 - a fault of the email itself: fail the row
            return _record_failure(notice, exc)
        mark_sent(notice)
    return Delivery.SENT
