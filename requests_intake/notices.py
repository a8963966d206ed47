"""The notice outbox: a notice is a row written in the transaction of the event that causes it.

Delivery is enqueued on commit (requests_intake.tasks.deliver_notice_task); the beat sweep
(requests_intake.sweep) re-enqueues rows still pending, so a broker outage delays a notice and
never loses it. Delivery locks the row, sends, and marks it sent in one transaction: the only
window for a second email is a worker dying between the mail server's "accepted" and the commit.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone

from core import roles
from eligibility import rules

from .models import AssistanceRequest, Notice

logger = logging.getLogger(__name__)

K = Notice.Kind

# Subject lines; "{ref}" is the request's reference.
SUBJECTS = {
    K.RECEIPT: "Received: your Request for Assistance {ref}",
    K.NEW_REQUEST_ALERT: "New Request for Assistance {ref} from {lea}",
    K.VERIFICATION_REMINDER: "Reminder: {ref} awaits its initial verification",
    K.VERIFICATION_ESCALATION: "Overdue: {ref} was not verified within 48 hours",
    K.VERIFIED: "Verified: your Request for Assistance {ref}",
    K.REVIEW_STARTED: "Under review: your Request for Assistance {ref}",
    K.INFORMATION_REQUESTED: "More information needed for {ref}",
    K.RESUBMITTED: "{ref} was resubmitted by {lea}",
    K.APPROVED: "Approved: Request for Assistance {ref}",
    K.DECLINED: "Decision on Request for Assistance {ref}",
    K.REOPENED: "Reopened: Request for Assistance {ref}",
    K.WITHDRAWN: "Withdrawn: Request for Assistance {ref}",
    K.ASSIGNED: "{ref} is assigned to you",
    K.CONTRACT_DRAFT_SENT: "Scope of work for {ref} awaits your review",
    K.CONTRACT_REVISIONS_REQUESTED: "Revisions requested on the scope of work for {ref}",
    K.CONTRACT_APPROVED: "Scope of work for {ref} approved by the administrative agent",
    K.CONTRACT_SENT_TO_LEA: "Your agreement for {ref} is ready",
    K.CONTRACT_EXECUTED: "Agreement for {ref} executed",
    K.CONTRACT_DUE_REMINDER: "Agreement for {ref} is due tomorrow",
    K.CONTRACT_OVERDUE: "Overdue: agreement for {ref}",
}

# What a mail server or the network may answer that is worth another try later.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object = None
    name: str = ""
    # LEA recipients get links to the site; CCEE and agent staff get links to the admin.
    audience: str = "lea"


def lea_recipients(req: AssistanceRequest) -> list[Recipient]:
    """Return the LEA people who receive a request's notices: contacts and the submitter."""
    people: dict[str, Recipient] = {}
    if req.primary_contact_email:
        email = req.primary_contact_email.lower()
        people[email] = Recipient(email, None, req.primary_contact_name)
    for contact in req.additional_contacts.all():
        people.setdefault(
            contact.email.lower(), Recipient(contact.email.lower(), None, contact.name)
        )
    for user in (req.submitted_by, req.created_by):
        if user is not None and user.email.lower() not in people:
            people[user.email.lower()] = Recipient(user.email.lower(), user, user.get_full_name())
    return list(people.values())


def staff_in_roles(*role_names: str) -> list[Recipient]:
    """Return the active people in these roles, as staff recipients."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=role_names)
        .distinct()
        .order_by("pk")
    )
    return [Recipient(u.email.lower(), u, u.get_full_name(), "staff") for u in users]


def staff_recipient(user) -> Recipient:
    return Recipient(user.email.lower(), user, user.get_full_name(), "staff")


def reviewer_recipients(req: AssistanceRequest, everyone=None) -> list[Recipient]:
    """Return the assigned reviewer, or every reviewer and lead when nobody is assigned.

    A sweep over many requests passes `everyone` (staff_in_roles(*REVIEW_ROLES), asked once).
    """
    if req.assigned_to_id and req.assigned_to.is_active:
        return [staff_recipient(req.assigned_to)]
    return everyone if everyone is not None else staff_in_roles(*roles.REVIEW_ROLES)


def lead_recipients() -> list[Recipient]:
    """Return the CCEE leads, who receive the 48-hour escalations."""
    return staff_in_roles(roles.CCEE_LEAD)


def request_url(req: AssistanceRequest, audience: str) -> str:
    """Return the absolute link to the request: the site page for the LEA, the admin for staff."""
    if audience == "staff":
        path = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
    else:
        path = reverse("requests_intake:request_detail", args=[req.pk])
    return f"{settings.SITE_URL}{path}"


def determination_in_plain_words(determination) -> dict | None:
    """Return what a stored determination means, in the words the LEA's notices use."""
    if not determination:
        return None
    found = rules.Determination.from_dict(determination)
    return {
        "pathways": [rules.PATHWAY_LABELS[p] for p in found.pathways],
        "cost": rules.COST_BASIS_LABELS[found.cost_basis],
        "cost_basis": found.cost_basis,
        "priority_tier": found.priority_tier,
        "meets_threshold": found.meets_ccee_threshold,
    }


def render_notice(kind: str, req: AssistanceRequest, recipient: Recipient, context: dict):
    """Return (subject, text, html) for one notice, from the kind's templates."""
    ctx = {
        "kind": kind,
        "request": req,
        "recipient": recipient,
        "url": request_url(req, recipient.audience),
        "site_url": settings.SITE_URL,
        "is_staff_recipient": recipient.audience == "staff",
        **context,
    }
    if kind == K.VERIFIED:
        ctx.setdefault("determination", determination_in_plain_words(req.determination_in_force))
    subject = SUBJECTS[kind].format(ref=req.reference or f"draft #{req.pk}", lea=req.lea.name)
    body = select_template(
        [f"requests_intake/notices/{kind}.txt", "requests_intake/notices/_default.txt"]
    )
    ctx["body_template"] = body.template.name
    html_body = select_template(
        [f"requests_intake/notices/{kind}.html", "requests_intake/notices/_default.html"]
    )
    ctx["html_body_template"] = html_body.template.name
    text = render_to_string("requests_intake/notices/notice.txt", ctx)
    html = render_to_string("requests_intake/notices/notice.html", ctx)
    return subject, text, html


def event_key(kind: str, request_id: int, event: str) -> str:
    """Return the part of an outbox key that names the event (kind, request, occurrence)."""
    return f"{kind}:{request_id}:{event}"


def notice_key(kind: str, req: AssistanceRequest, event: str, email: str) -> str:
    """Return the outbox key of one event's notice to one person: unique in the table."""
    return f"{event_key(kind, req.pk, event)}:{email}"[:200]


def events_notified(*, kinds, request_ids) -> set[str]:
    """Return the event keys of these kinds and requests that have outbox rows already."""
    keys = Notice.objects.filter(kind__in=kinds, request_id__in=request_ids).values_list(
        "key", flat=True
    )
    return {key.rsplit(":", 1)[0] for key in keys}


def build_notices(
    *, kind: str, req: AssistanceRequest, recipients: list[Recipient], event: str, context=None
) -> list[Notice]:
    """Return unsaved outbox rows, one per distinct recipient, rendered from the templates."""
    context = context or {}
    now = timezone.now()
    rows = []
    seen = set()
    for recipient in recipients:
        if not recipient.email or recipient.email in seen:
            continue
        seen.add(recipient.email)
        subject, text, html = render_notice(kind, req, recipient, context)
        rows.append(
            Notice(
                key=notice_key(kind, req, event, recipient.email),
                kind=kind,
                request=req,
                recipient_email=recipient.email,
                recipient=recipient.user,
                subject=subject,
                body_text=text,
                body_html=html,
                created_at=now,
            )
        )
    return rows


def save_notices(rows: list[Notice]) -> list[str]:
    """Insert outbox rows (a key already there is skipped) and deliver on commit; return keys."""
    if not rows:
        return []
    Notice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    keys = [row.key for row in rows]
    transaction.on_commit(lambda: enqueue_delivery(keys=keys))
    return keys


def queue_notices(
    *, kind: str, req: AssistanceRequest, recipients: list[Recipient], event: str, context=None
) -> int:
    """Write one outbox row per recipient for this event (never twice) and deliver on commit.

    `event` names the occurrence (a status change's id, "reminder", …): with the kind, request
    and recipient it forms the row's unique key, so repeating an event queues nothing new.
    Return how many rows were new.
    """
    rows = build_notices(kind=kind, req=req, recipients=recipients, event=event, context=context)
    keys = [row.key for row in rows]
    existing = set(Notice.objects.filter(key__in=keys).values_list("key", flat=True))
    new_rows = [row for row in rows if row.key not in existing]
    save_notices(new_rows)
    return len(new_rows)


def enqueue_delivery(*, keys=None, ids=None) -> int:
    """Hand pending notices to Celery; return how many were handed over.

    Called after commit. A broker that is down fails fast (see CELERY_TASK_PUBLISH_RETRY_POLICY)
    and leaves the rows pending with their old last_enqueued_at, for the sweep to hand over later.
    """
    from .tasks import deliver_notice_task

    qs = Notice.objects.pending()
    qs = qs.filter(key__in=keys) if keys is not None else qs.filter(pk__in=ids)
    notice_ids = list(qs.order_by("pk").values_list("pk", flat=True))
    enqueued = []
    try:
        with deliver_notice_task.app.producer_or_acquire() as producer:
            for notice_id in notice_ids:
                deliver_notice_task.apply_async((notice_id,), producer=producer)
                enqueued.append(notice_id)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep enqueues the rows later
        logger.warning(
            "Could not hand %d notice(s) to Celery (broker unreachable); the sweep will retry.",
            len(notice_ids) - len(enqueued),
            exc_info=True,
        )
    if enqueued:
        Notice.objects.pending().filter(pk__in=enqueued).update(last_enqueued_at=timezone.now())
    return len(enqueued)


class Delivery(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent or failed, or gone
    RETRY = "retry"  # the mail server refused; next_attempt_at says when to try again
    FAILED = "failed"  # refused on the last try; a lead can resend it from the admin


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` refused tries (doubling)."""
    return timedelta(seconds=settings.NOTICE_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def send_notice_email(notice: Notice) -> None:
    """Send one notice as a text email with an HTML alternative."""
    message = EmailMultiAlternatives(
        subject=notice.subject,
        body=notice.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient_email],
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    message.send()


def mark_sent(notice: Notice) -> None:
    notice.status = Notice.Status.SENT
    notice.sent_at = timezone.now()
    notice.next_attempt_at = None
    notice.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at"])


def deliver_notice(notice_id: int) -> Delivery:
    """Send a pending notice once: lock the row, send, mark it sent, all in one transaction.

    A second delivery of the same row (the sweep's, or the broker's after a lost worker) waits
    for the lock and then finds the row sent. A mail-server error is recorded on the row
    (attempts, last_error, next_attempt_at) and, after the last allowed try, the row is failed.
    """
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.PENDING:
            return Delivery.SKIPPED
        notice.attempts += 1
        try:
            send_notice_email(notice)
        except TRANSIENT_MAIL_ERRORS as exc:
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
                update_fields=[
                    "status",
                    "attempts",
                    "last_error",
                    "next_attempt_at",
                    "last_enqueued_at",
                ]
            )
            return outcome
        mark_sent(notice)
    return Delivery.SENT


def notice_resend(*, notice_ids, by) -> tuple[int, int]:
    """Put failed (and stuck pending) notices back in the outbox and deliver them on commit.

    Return (how many were put back, how many were left alone because they were sent already).
    """
    notice_ids = list(notice_ids)
    if not by.has_perm("requests_intake.resend_notice"):
        raise PermissionError("Only CCEE leads can resend notices.")
    with transaction.atomic():
        rows = list(
            Notice.objects.select_for_update()
            .filter(pk__in=notice_ids)
            .exclude(status=Notice.Status.SENT)
            .values_list("pk", flat=True)
        )
        Notice.objects.filter(pk__in=rows).update(
            status=Notice.Status.PENDING, attempts=0, next_attempt_at=None, last_enqueued_at=None
        )
        transaction.on_commit(lambda: enqueue_delivery(ids=rows))
    logger.info("%s resent notices %s", by, rows)
    return len(rows), len(set(notice_ids)) - len(rows)
