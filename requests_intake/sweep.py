"""The notice sweep, run by Celery beat every few minutes: the clock of the 48-hour verification.

One run, in a fixed number of queries whatever the number of requests:
- requests still awaiting verification 24 hours after receipt get their reminder (to the assigned
  reviewer, or to every reviewer and lead when nobody is assigned), once;
- requests still awaiting verification at verification_due_at (48 hours) get their escalation to
  the CCEE leads, once;
- notices still pending a while after they were last handed to Celery (a broker that was down,
  a worker that died) are handed over again.

"Once" rests on the outbox's unique key (kind, request, "due", recipient) and on the sweep only
looking at requests that have no notice of that kind yet.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import roles

from . import notices
from .models import AssistanceRequest, Notice

K = Notice.Kind

# The event name in the outbox key of the clock's notices: one reminder, one escalation each.
CLOCK_EVENT = "due"


@dataclass
class SweepResult:
    reminders: int = 0
    escalations: int = 0
    reenqueued: int = 0

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
    reviewers = notices.staff_in_roles(*roles.REVIEW_ROLES) if reminder_due else []
    leads = notices.lead_recipients() if escalation_due else []

    reminders = []
    for req in reminder_due:
        reminders += notices.build_notices(
            kind=K.VERIFICATION_REMINDER,
            req=req,
            recipients=notices.reviewer_recipients(req, reviewers),
            event=CLOCK_EVENT,
        )
    escalations = []
    for req in escalation_due:
        escalations += notices.build_notices(
            kind=K.VERIFICATION_ESCALATION, req=req, recipients=leads, event=CLOCK_EVENT
        )
    return reminders, escalations


def notice_sweep(*, now=None) -> SweepResult:
    """Queue the due reminders and escalations, and re-enqueue stuck notices; say how many."""
    now = now or timezone.now()
    batch = settings.NOTICE_SWEEP_BATCH
    result = SweepResult()
    # Found before this run adds rows, so a notice queued now is handed over once, on commit.
    stuck_after = timedelta(seconds=settings.NOTICE_STUCK_AFTER_SECONDS)
    stuck = list(
        Notice.objects.stuck(now=now, older_than=stuck_after)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    with transaction.atomic():
        reminders, escalations = _clock_notices(now=now, batch=batch)
        notices.save_notices(reminders + escalations)
        result.reminders = len({row.request_id for row in reminders})
        result.escalations = len({row.request_id for row in escalations})
    if stuck:
        result.reenqueued = notices.enqueue_delivery(ids=stuck)
    return result
