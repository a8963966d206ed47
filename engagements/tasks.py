"""Celery tasks: the progress-report sweep (run by beat; see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from contracts.calendar import closures_between
from core import roles
from notices.recipients import staff_in_roles
from notices.services import build_notices, event_key, events_notified, save_notices
from requests_intake import notices

from . import schedule
from .models import Engagement, ProgressReport, ReportStatus, TeamMember
from .notice_kinds import K
from .services import engagement_url, team_recipients

STAGE_KINDS = {
    schedule.DUE: K.REPORT_REMINDER,
    schedule.OVERDUE: K.REPORT_OVERDUE,
    schedule.VERY_LATE: K.REPORT_VERY_LATE,
}
COUNT_NAMES = {
    schedule.DUE: "reminders",
    schedule.OVERDUE: "overdue",
    schedule.VERY_LATE: "escalations",
}


def _recipients(stage, report, team, reviewers, leads):
    """Who hears of a report at each stage: the team always; its reviewer once it is overdue;
    the leads too once it is very late (the escalation)."""
    lea = [("lea", team_recipients(report.engagement, team))]
    if stage == schedule.DUE:
        return lea
    reviewer = notices.reviewer_recipients(report.engagement.request, reviewers)
    if stage == schedule.OVERDUE:
        return [*lea, ("staff", reviewer)]
    return [*lea, ("staff", reviewer + [r for r in leads if r not in reviewer])]


def report_sweep(today=None) -> dict:
    """Queue each open report's reminder, overdue notice and escalation, once each.

    Idempotent: a notice's event names the report, its stage and due date, and the outbox key
    is unique; events already notified are skipped before anything is rendered. The queries
    are fixed whatever the number of engagements: the reports, their teams, the closures, the
    events already notified, the staff, and the outbox rows inserted together.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=14 + 7)  # beyond the reminder window in business days
    reports = list(
        ProgressReport.objects.filter(
            status__in=[ReportStatus.OPEN, ReportStatus.RETURNED],
            engagement__status__in=[Engagement.Status.ACTIVE, Engagement.Status.PAUSED],
            due_date__lte=horizon,
        ).select_related("engagement__request__lea", "engagement__request__assigned_to")
    )
    counts = {"reminders": 0, "overdue": 0, "escalations": 0}
    if not reports:
        return counts
    teams: dict[int, list] = {}
    for member in TeamMember.objects.filter(engagement_id__in={r.engagement_id for r in reports}):
        teams.setdefault(member.engagement_id, []).append(member)
    closures = closures_between(min(r.due_date for r in reports) - timedelta(days=30), horizon)
    done = events_notified(
        kinds=list(STAGE_KINDS.values()), request_ids={r.engagement.request_id for r in reports}
    )
    reviewers = staff_in_roles(*roles.REVIEW_ROLES)
    leads = staff_in_roles(roles.CCEE_LEAD)
    rows = []
    for report in reports:
        stage = schedule.report_stage(report, today, closures)
        kind = STAGE_KINDS.get(stage)
        if kind is None:
            continue
        event = f"rep{report.pk}{stage}{report.due_date:%Y%m%d}"
        if event_key(kind, report.engagement.request_id, event) in done:
            continue
        engagement = report.engagement
        for audience, recipients in _recipients(
            stage, report, teams.get(engagement.pk, []), reviewers, leads
        ):
            rows += build_notices(
                kind=kind,
                req=engagement.request,
                recipients=recipients,
                event=event,
                context={
                    "engagement": engagement,
                    "report": report,
                    "due": f"{report.due_date:%B %-d, %Y}",
                    "engagement_url": engagement_url(engagement, audience),
                },
            )
        counts[COUNT_NAMES[stage]] += 1
    with transaction.atomic():
        save_notices(rows)
    return counts


@shared_task
def report_sweep_task() -> dict:
    """Run the progress-report sweep (every NOTICE_SWEEP_SECONDS, from beat)."""
    return report_sweep()
