"""The notice outbox: a notice is a row written in the transaction of the event that causes it.

Delivery is enqueued on commit (requests_intake.tasks.deliver_notice_task); the beat sweep
re-enqueues rows still pending, so a broker outage delays a notice and never loses it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone

from ccee_portal import roles

from .models import AssistanceRequest, Notice

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
    K.APPROVED: "Approved: your Request for Assistance {ref}",
    K.DECLINED: "Decision on your Request for Assistance {ref}",
    K.REOPENED: "Reopened: your Request for Assistance {ref}",
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
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=role_names)
        .distinct()
        .order_by("pk")
    )
    return [Recipient(u.email.lower(), u, u.get_full_name(), "staff") for u in users]


def reviewer_recipients(req: AssistanceRequest) -> list[Recipient]:
    """Return the assigned reviewer, or every reviewer and lead when nobody is assigned."""
    if req.assigned_to_id and req.assigned_to.is_active:
        user = req.assigned_to
        return [Recipient(user.email.lower(), user, user.get_full_name(), "staff")]
    return staff_in_roles(*roles.REVIEW_ROLES)


def request_url(req: AssistanceRequest, audience: str) -> str:
    if audience == "staff":
        path = reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])
    else:
        path = reverse("requests_intake:request_detail", args=[req.pk])
    return f"{settings.SITE_URL}{path}"


def render_notice(kind: str, req: AssistanceRequest, recipient: Recipient, context: dict):
    """Return (subject, text, html) for one notice, from the kind's templates."""
    ctx = {
        "kind": kind,
        "request": req,
        "recipient": recipient,
        "url": request_url(req, recipient.audience),
        "site_url": settings.SITE_URL,
        **context,
    }
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


def queue_notices(
    *, kind: str, req: AssistanceRequest, recipients: list[Recipient], event: str, context=None
) -> int:
    """Write one outbox row per recipient for this event (never twice) and deliver on commit.

    `event` names the occurrence (a status change's id, "reminder", …): with the kind, request
    and recipient it forms the row's unique key, so repeating an event queues nothing new.
    Return how many rows were new.
    """
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
                key=f"{kind}:{req.pk}:{event}:{recipient.email}"[:200],
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
    keys = [row.key for row in rows]
    existing = set(Notice.objects.filter(key__in=keys).values_list("key", flat=True))
    new_rows = [row for row in rows if row.key not in existing]
    Notice.objects.bulk_create(new_rows, ignore_conflicts=True)
    new_keys = [row.key for row in new_rows]
    if new_keys:
        transaction.on_commit(lambda: enqueue_delivery(keys=new_keys))
    return len(new_rows)


def enqueue_delivery(*, keys=None, ids=None) -> int:
    """Hand pending notices to Celery; a broker that is down leaves them for the sweep."""
    import logging

    from .tasks import deliver_notice_task

    qs = Notice.objects.pending()
    qs = qs.filter(key__in=keys) if keys is not None else qs.filter(pk__in=ids)
    enqueued = []
    for notice_id in list(qs.values_list("pk", flat=True)):
        try:
            deliver_notice_task.delay(notice_id)
        except Exception:  # the broker is unreachable: the sweep enqueues the row later
            logging.getLogger(__name__).warning(
                "Could not enqueue notice %s; the sweep will retry.", notice_id, exc_info=True
            )
            break
        enqueued.append(notice_id)
    Notice.objects.pending().filter(pk__in=enqueued).update(last_enqueued_at=timezone.now())
    return len(enqueued)
