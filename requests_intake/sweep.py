"""The 48-hour verification clock, run by Celery beat every NOTICE_SWEEP_SECONDS.

One run, in a fixed number of queries whatever the number of requests:
- requests still awaiting verification 24 hours after receipt get their reminder (to the assigned
  reviewer, or to every reviewer and lead when nobody is assigned), once;
- requests still awaiting verification at verification_due_at (48 hours) get their escalation to
  the CCEE leads, once;
- requests whose latest request for information has an answer-by date remind the LEA's people
  the day before it (or on the day, when asked later), and once more when the date has passed;
- county office and geographic lead contacts who have not answered their confirmation link two
  California business days after it was sent get one reminder, with a newly signed link.

"Once" rests on the outbox's unique key (kind, request, "due", recipient) and on the sweep only
looking at requests that have no notice of that kind yet. Notices stuck undelivered are the
outbox's own sweep (notices.sweep).
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import roles
from notices.models import Notice
from notices.recipients import staff_in_roles
from notices.services import build_notices, events_notified, save_notices

from . import county_confirmations, notices
from .models import AssistanceRequest, RequestMessage
from .notice_kinds import K

# The event name in the outbox key of the clock's notices: one reminder, one escalation each.
CLOCK_EVENT = "due"


@dataclass
class ClockSweepResult:
    reminders: int = 0
    escalations: int = 0
    answer_reminders: int = 0
    county_reminders: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _due(queryset, kind, batch):
    return list(
        queryset.without_notice(kind)
        .select_related("lea", "assigned_to")
        .order_by("received_at", "pk")[:batch]
    )


def _clock_notices(*, now, batch) -> tuple[list[Notice], list[Notice]]:
    """Return the unsaved reminder and escalation rows due at `now`."""
    awaiting = AssistanceRequest.objects.all()
    reminder_due = _due(awaiting.verification_reminder_due(now), K.VERIFICATION_REMINDER, batch)
    escalation_due = _due(awaiting.overdue(now), K.VERIFICATION_ESCALATION, batch)
    reviewers = staff_in_roles(*roles.REVIEW_ROLES) if reminder_due else []
    leads = notices.lead_recipients() if escalation_due else []

    reminders = []
    for req in reminder_due:
        reminders += build_notices(
            kind=K.VERIFICATION_REMINDER,
            req=req,
            recipients=notices.reviewer_recipients(req, reviewers),
            event=CLOCK_EVENT,
        )
    escalations = []
    for req in escalation_due:
        escalations += build_notices(
            kind=K.VERIFICATION_ESCALATION, req=req, recipients=leads, event=CLOCK_EVENT
        )
    return reminders, escalations


def _answer_events(message, today) -> list[str]:
    """Return the reminder events due today for a request for information's answer-by date."""
    events = []
    if today >= message.respond_by - timedelta(days=1):
        events.append(f"answer{message.pk}-before")
    if today > message.respond_by:
        events.append(f"answer{message.pk}-passed")
    return events


def _answer_notices(*, now, batch) -> list[Notice]:
    """Return the unsaved reminders to the LEA whose answer-by date is tomorrow or past."""
    today = timezone.localdate(now)
    asked = (
        RequestMessage.objects.filter(
            kind=RequestMessage.Kind.INFORMATION_REQUEST,
            respond_by__isnull=False,
            respond_by__lte=today + timedelta(days=1),
            request__status=AssistanceRequest.Status.INFORMATION_REQUESTED,
        )
        .select_related("request__lea", "request__submitted_by", "request__created_by")
        .prefetch_related("request__additional_contacts")
        .order_by("request_id", "-created_at", "-pk")
    )
    latest = {}
    for message in asked:
        latest.setdefault(message.request_id, message)  # the newest question of each request
    candidates = list(latest.values())[:batch]
    due = {m.request_id: _answer_events(m, today) for m in candidates}
    sent = events_notified(kinds=[K.ANSWER_DUE], request_ids=list(due))
    rows = []
    for message in candidates:
        req = message.request
        for event in due[message.request_id]:
            if f"{K.ANSWER_DUE}:{req.pk}:{event}" in sent:
                continue
            rows += build_notices(
                kind=K.ANSWER_DUE,
                req=req,
                recipients=notices.lea_recipients(req),
                event=event,
                context={"respond_by": message.respond_by, "passed": event.endswith("passed")},
            )
    return rows


def verification_clock_sweep(*, now=None) -> ClockSweepResult:
    """Queue the due 24-hour reminders, 48-hour escalations and answer-by reminders."""
    now = now or timezone.now()
    with transaction.atomic():
        reminders, escalations = _clock_notices(now=now, batch=settings.NOTICE_SWEEP_BATCH)
        answers = _answer_notices(now=now, batch=settings.NOTICE_SWEEP_BATCH)
        save_notices(reminders + escalations + answers)
        county = county_confirmations.send_reminders(now, settings.NOTICE_SWEEP_BATCH)
    return ClockSweepResult(
        county_reminders=county,
        reminders=len({row.request_id for row in reminders}),
        escalations=len({row.request_id for row in escalations}),
        answer_reminders=len({row.request_id for row in answers}),
    )
