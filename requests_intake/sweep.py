"""The 48-hour verification clock, run by Celery beat every NOTICE_SWEEP_SECONDS.

One run, in a fixed number of queries whatever the number of requests:
- requests still awaiting verification 24 hours after receipt get their reminder (to the assigned
  reviewer, or to every reviewer and lead when nobody is assigned), once;
- requests still awaiting verification at verification_due_at (48 hours) get their escalation to
  the CCEE leads, once.

"Once" rests on the outbox's unique key (kind, request, "due", recipient) and on the sweep only
looking at requests that have no notice of that kind yet. Notices stuck undelivered are the
outbox's own sweep (notices.sweep).
"""

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import roles
from notices.models import Notice
from notices.recipients import staff_in_roles
from notices.services import build_notices, save_notices

from . import notices
from .models import AssistanceRequest
from .notice_kinds import K

# The event name in the outbox key of the clock's notices: one reminder, one escalation each.
CLOCK_EVENT = "due"


@dataclass
class ClockSweepResult:
    reminders: int = 0
    escalations: int = 0

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


def verification_clock_sweep(*, now=None) -> ClockSweepResult:
    """Queue the due 24-hour reminders and 48-hour escalations; say for how many requests."""
    now = now or timezone.now()
    with transaction.atomic():
        reminders, escalations = _clock_notices(now=now, batch=settings.NOTICE_SWEEP_BATCH)
        save_notices(reminders + escalations)
    return ClockSweepResult(
        reminders=len({row.request_id for row in reminders}),
        escalations=len({row.request_id for row in escalations}),
    )
