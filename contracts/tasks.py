"""Celery tasks: the agreement due-date sweep (run by beat; see CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core import roles
from notices.recipients import staff_in_roles
from notices.services import event_key, events_notified, queue_notices
from requests_intake import notices

from . import selectors
from .calendar import closures_between
from .models import ScopeOfWork
from .notice_kinds import K
from .services import scope_of_work_admin_url


def _closures_around(sows) -> set:
    """Return the office closures any of these agreements' due dates could depend on (1 query).

    From a month before the earliest due date (the reminder looks back one business day) to
    well past the latest extended one (an extension of N business days spans under 3N days).
    """
    if not sows:
        return set()
    start = min(s.due_date for s in sows) - timedelta(days=30)
    end = max(s.due_date + timedelta(days=s.extension_business_days * 3 + 30) for s in sows)
    return closures_between(start, end)


def contract_sweep(today=None) -> dict:
    """Queue reminders (one business day before the due date) and overdue escalations.

    Idempotent: each notice's event names the due date, and the outbox key is unique, so a
    sweep that runs every two minutes notifies each person once per due date.
    """
    today = today or timezone.localdate()
    counts = {"reminders": 0, "escalations": 0}
    open_sows = list(
        ScopeOfWork.objects.open().select_related("request__lea", "request__assigned_to")
    )
    # Who is asked for once per sweep, not once per agreement; events notified already are
    # skipped before any notice is rendered (a late agreement stays late for many sweeps).
    kinds = [K.CONTRACT_OVERDUE, K.CONTRACT_DUE_REMINDER]
    done = events_notified(kinds=kinds, request_ids={s.request_id for s in open_sows})
    agents = staff_in_roles(roles.ADMINISTRATIVE_AGENT)
    leads = staff_in_roles(roles.CCEE_LEAD)
    reviewers = staff_in_roles(*roles.REVIEW_ROLES)
    closures = _closures_around(open_sows)

    for sow in open_sows:
        due = sow.effective_due_date_with(closures)
        if due < today:
            kind, event, key = (
                K.CONTRACT_OVERDUE,
                f"sow{sow.pk}overdue{due}",
                "escalations",
            )
            recipients = agents + leads + notices.reviewer_recipients(sow.request, reviewers)
        elif selectors.reminder_due(sow, today, closures):
            kind, event, key = (
                K.CONTRACT_DUE_REMINDER,
                f"sow{sow.pk}due{due}",
                "reminders",
            )
            recipients = agents + notices.reviewer_recipients(sow.request, reviewers)
        else:
            continue
        if event_key(kind, sow.request_id, event) in done:
            continue
        with transaction.atomic():
            counts[key] += queue_notices(
                kind=kind,
                req=sow.request,
                recipients=recipients,
                event=event,
                context={"sow": sow, "due_date": due, "url": scope_of_work_admin_url(sow)},
            )
    return counts


@shared_task
def contract_sweep_task() -> dict:
    """Run the agreement due-date sweep (every NOTICE_SWEEP_SECONDS, from beat)."""
    return contract_sweep()
