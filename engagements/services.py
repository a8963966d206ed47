"""Writes of the engagements app: opening, the lifecycle, statements, indicators, reports.

Each transition goes through the shared lifecycle runner (core.lifecycle): it locks the row,
checks the person and the state, writes the change and its history row and queues the outbox
notices in one transaction. A refusal raises EngagementRefused saying why, and changes nothing.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from contracts.calendar import closures_between, local_date
from core import lifecycle
from core.decisions import Decision
from notices.recipients import Recipient
from notices.services import queue_notices
from requests_intake import notices
from requests_intake.models import LeaMembership

from . import permissions as perms
from . import schedule
from .models import (
    DeliverableStatus,
    Engagement,
    EngagementChange,
    Indicator,
    IndicatorKind,
    Measurement,
    Method,
    ProblemOfPractice,
    ProgressReport,
    ReportAttachment,
    ReportChange,
    ReportStatus,
    TeamMember,
    TheoryOfAction,
)
from .notice_kinds import K

S = Engagement.Status
R = ReportStatus


class EngagementRefused(lifecycle.TransitionRefused):
    """An engagement action that is not allowed now, for this person; the message says why."""


def require(decision: Decision) -> None:
    if not decision:
        raise EngagementRefused(decision.reason)


# --- Links and recipients ------------------------------------------------------------------


def engagement_url(engagement, audience: str) -> str:
    if audience == "staff":
        path = reverse("admin:engagements_engagement_change", args=[engagement.pk])
    else:
        path = reverse("engagements:detail", args=[engagement.pk])
    return f"{settings.SITE_URL}{path}"


def team_recipients(engagement, team=None) -> list[Recipient]:
    """Return the leading team and the request's primary contact (the LEA side of a report)."""
    team = list(engagement.team.all()) if team is None else team
    people = [Recipient(m.email.lower(), None, m.name) for m in team]
    req = engagement.request
    if req.primary_contact_email:
        people.append(Recipient(req.primary_contact_email.lower(), None, req.primary_contact_name))
    return people


def _notify(kind, engagement, recipients, event, audience, **context):
    return queue_notices(
        kind=kind,
        req=engagement.request,
        recipients=recipients,
        event=event,
        context={
            "engagement": engagement,
            "engagement_url": engagement_url(engagement, audience),
            **context,
        },
    )


# --- Opening, on execution of the agreement ------------------------------------------------

# The scope of work's method -> seed 004's method of the engagement.
_METHODS = {
    "district_to_district": Method.DISTRICT_TO_DISTRICT,
    "external_provider": Method.EXTERNAL_PROVIDER,
}


def engagement_open_on_execution(sow, by) -> Engagement:
    """Open the engagement of an executed agreement (contracts.services.EXECUTION_HOOKS).

    It opens "being set up": the problem of practice is the request's presenting need (and the
    agreement's wording of it), the theory of action the agreement's; dates, method and provider
    come from the scope of work. A reviewer activates it once it has a student-learning
    indicator. Executing twice opens nothing new.
    """
    existing = Engagement.objects.filter(agreement=sow).first()
    if existing is not None:
        return existing
    req = sow.request
    engagement = Engagement.objects.create(
        request=req,
        agreement=sow,
        method=_METHODS.get(sow.assistance_method, Method.SUCCESS_COACH),
        provider_name=sow.provider,
        start_date=max(sow.term_start, sow.executed_on or sow.term_start),
        end_date=sow.term_end,
    )
    EngagementChange.objects.create(
        engagement=engagement,
        action="opened",
        to_status=S.SETUP,
        by=by,
        reason=f"Agreement executed on {sow.executed_on:%B %-d, %Y}.",
    )
    problem = (sow.problem_of_practice or req.problem_of_practice or "").strip()
    if problem:
        ProblemOfPractice.objects.create(
            engagement=engagement,
            number=1,
            text=problem,
            by=by,
            reason="From the request's presenting need and the executed agreement.",
        )
    if sow.theory_of_action.strip():
        TheoryOfAction.objects.create(
            engagement=engagement,
            number=1,
            actions=sow.theory_of_action.strip(),
            practice_changes="",
            student_outcomes="",
            by=by,
            reason="The theory of action of the executed agreement.",
        )
    if req.primary_contact_email:
        TeamMember.objects.create(
            engagement=engagement,
            name=req.primary_contact_name or req.primary_contact_email,
            role=req.primary_contact_title or "Primary contact",
            email=req.primary_contact_email.lower(),
            user=req.created_by
            if req.created_by and req.created_by.email.lower() == req.primary_contact_email.lower()
            else None,
        )
    _notify(
        K.ENGAGEMENT_OPENED,
        engagement,
        notices.lea_recipients(req),
        f"eng{engagement.pk}opened",
        "lea",
    )
    return engagement


# --- The engagement's lifecycle ------------------------------------------------------------


def _record(*, row, transition, previous, by, at, reason) -> EngagementChange:
    return EngagementChange.objects.create(
        engagement=row,
        action=transition.name,
        from_status=previous,
        to_status=row.status,
        by=by,
        at=at,
        reason=reason,
    )


def _t(name, label, verb, sources, target, **options):
    return lifecycle.transition(name, label, verb, sources, target, perms.can_manage, **options)


LIFECYCLE = lifecycle.Lifecycle(
    model=Engagement,
    transitions=[
        _t("activate", "Activate", "activated", [S.SETUP], S.ACTIVE, bulk=False),
        _t(
            "pause",
            "Pause",
            "paused",
            [S.ACTIVE],
            S.PAUSED,
            reason_required=True,
            reason_prompt="Why is the engagement paused?",
            bulk=False,
        ),
        _t("resume", "Resume", "resumed", [S.PAUSED], S.ACTIVE, bulk=False),
        _t("complete", "Complete", "completed", [S.ACTIVE], S.COMPLETED, bulk=False),
        _t(
            "close",
            "Close early",
            "closed early",
            [S.SETUP, S.ACTIVE, S.PAUSED],
            S.CLOSED,
            reason_required=True,
            reason_prompt="Why is the engagement closed early?",
            bulk=False,
        ),
    ],
    record=_record,
    refused=EngagementRefused,
    object_keyword="engagement",
    select_related=("request__lea", "request__assigned_to"),
    touch=lambda e, now: ["updated_at"],
    describe=lambda e: f"The engagement for {e.request.reference}",
    noun="an engagement",
)


def _status_notice(engagement, history):
    status = engagement.get_status_display().lower()
    event = f"eng{engagement.pk}c{history.pk}"
    extra = {"status": status, "reason": history.reason}
    _notify(K.ENGAGEMENT_STATUS, engagement, team_recipients(engagement), event, "lea", **extra)


def activation_problems(engagement) -> list[str]:
    """Return what stops the engagement from becoming active, in plain sentences."""
    problems = []
    if not engagement.indicators.filter(kind=IndicatorKind.STUDENT_LEARNING).exists():
        problems.append("Add at least one student-learning indicator.")
    if not engagement.team.exists():
        problems.append("Name the district's leading team.")
    return problems


def create_schedule(engagement, closures=None) -> list[ProgressReport]:
    """Write the report schedule from today's indicators (activation does it once)."""
    cadence = schedule.report_cadence_months(engagement.indicators.all())
    if closures is None:
        closures = closures_between(
            engagement.start_date, engagement.end_date.replace(year=engagement.end_date.year + 1)
        )
    periods = schedule.report_periods(engagement.start_date, engagement.end_date, cadence, closures)
    start = engagement.reports.aggregate(n=Max("number"))["n"] or 0
    return ProgressReport.objects.bulk_create(
        ProgressReport(
            engagement=engagement,
            number=start + p.number,
            is_final=p.is_final,
            period_start=p.start,
            period_end=p.end,
            due_date=p.due,
        )
        for p in periods
    )


@LIFECYCLE.service("activate")
def engagement_activate(*, engagement: Engagement, by) -> Engagement:
    """Make it active and write its report schedule; needs a student-learning indicator."""

    def change(e, now):
        problems = activation_problems(e)
        if problems:
            raise EngagementRefused("The engagement cannot be active yet: " + " ".join(problems))
        e.activated_on = local_date(now)
        return ["activated_on"]

    def after(e, history):
        if not e.reports.exists():
            create_schedule(e)
        _status_notice(e, history)

    return LIFECYCLE.run("activate", engagement, by=by, change=change, after=after)


@LIFECYCLE.service("pause")
def engagement_pause(*, engagement: Engagement, by, reason: str) -> Engagement:
    return LIFECYCLE.run("pause", engagement, by=by, reason=reason, after=_status_notice)


@LIFECYCLE.service("resume")
def engagement_resume(*, engagement: Engagement, by) -> Engagement:
    return LIFECYCLE.run("resume", engagement, by=by, after=_status_notice)


def closeout_problems(engagement) -> list[str]:
    problems = [
        f"Record the final outcome of “{i.name}”."
        for i in engagement.indicators.all()
        if i.final_value is None
    ]
    if not engagement.sustainability.strip():
        problems.append("Say what the district will sustain.")
    return problems


@LIFECYCLE.service("complete")
def engagement_complete(*, engagement: Engagement, by) -> Engagement:
    """Complete the engagement once its closeout records each outcome and what is sustained."""

    def change(e, now):
        problems = closeout_problems(e)
        if problems:
            raise EngagementRefused("The closeout is not complete: " + " ".join(problems))
        e.ended_on = local_date(now)
        return ["ended_on"]

    return LIFECYCLE.run("complete", engagement, by=by, change=change, after=_status_notice)


@LIFECYCLE.service("close")
def engagement_close(*, engagement: Engagement, by, reason: str) -> Engagement:
    def change(e, now):
        e.ended_on = local_date(now)
        return ["ended_on"]

    return LIFECYCLE.run(
        "close", engagement, by=by, reason=reason, change=change, after=_status_notice
    )


# --- Statements: problem of practice, theory of action -------------------------------------


def _locked(engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=engagement.pk)
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise EngagementRefused("Give the reason for this revision.")
    return reason


def _editable(engagement):
    if engagement.status in (S.COMPLETED, S.CLOSED):
        raise EngagementRefused("The engagement has ended: it can no longer be changed.")


@transaction.atomic
def problem_of_practice_revise(*, engagement, by, text: str, reason: str) -> ProblemOfPractice:
    """Write a new version of the problem of practice; the reason says why it changed."""
    e = _locked(engagement)
    require(perms.can_edit_as_lea(by, e))
    _editable(e)
    text = (text or "").strip()
    if not text:
        raise EngagementRefused("Write the problem of practice.")
    current = e.problem_versions.order_by("-number").first()
    if current is not None and current.text == text:
        raise EngagementRefused("The problem of practice is unchanged.")
    return ProblemOfPractice.objects.create(
        engagement=e,
        number=(current.number if current else 0) + 1,
        text=text,
        reason=_reason(reason),
        by=by,
    )


@transaction.atomic
def problem_of_practice_check(
    *, version: ProblemOfPractice, by, of_interest: bool, workable: bool, important: bool, note=""
) -> ProblemOfPractice:
    """Record a reviewer's check of a version against seed 004's three tests."""
    row = ProblemOfPractice.objects.select_for_update().get(pk=version.pk)
    require(perms.can_check_problem(by, row.engagement))
    if not (of_interest and workable and important) and not (note or "").strip():
        raise EngagementRefused("Say what the problem of practice lacks when a test is not met.")
    row.of_interest, row.workable, row.important = of_interest, workable, important
    row.check_note, row.checked_by, row.checked_at = (note or "").strip(), by, timezone.now()
    row.save(
        update_fields=[
            "of_interest",
            "workable",
            "important",
            "check_note",
            "checked_by",
            "checked_at",
        ]
    )
    return row


@transaction.atomic
def theory_of_action_revise(
    *, engagement, by, actions: str, practice_changes: str, student_outcomes: str, reason: str
) -> TheoryOfAction:
    """Write a new version of the if–then chain; the reason says why it changed."""
    e = _locked(engagement)
    require(perms.can_edit_as_lea(by, e))
    _editable(e)
    parts = [
        (actions or "").strip(),
        (practice_changes or "").strip(),
        (student_outcomes or "").strip(),
    ]
    if not all(parts):
        raise EngagementRefused(
            "Write each link of the chain: actions, changes in practice, outcomes."
        )
    current = e.theory_versions.order_by("-number").first()
    if (
        current is not None
        and [current.actions, current.practice_changes, current.student_outcomes] == parts
    ):
        raise EngagementRefused("The theory of action is unchanged.")
    return TheoryOfAction.objects.create(
        engagement=e,
        number=(current.number if current else 0) + 1,
        actions=parts[0],
        practice_changes=parts[1],
        student_outcomes=parts[2],
        reason=_reason(reason),
        by=by,
    )


# --- Team and indicators -------------------------------------------------------------------


@transaction.atomic
def team_member_add(*, engagement, by, name: str, role: str, email: str) -> TeamMember:
    """Add a member of the leading team: linked to the LEA member with that address, if any."""
    e = _locked(engagement)
    require(perms.can_edit_as_lea(by, e))
    _editable(e)
    email = email.strip().lower()
    if e.team.filter(email__iexact=email).exists():
        raise EngagementRefused(f"{email} is already on the leading team.")
    member = (
        LeaMembership.objects.approved()
        .filter(lea_id=e.request.lea_id, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    return TeamMember.objects.create(
        engagement=e,
        name=name.strip(),
        role=role.strip(),
        email=email,
        user=member.user if member else None,
    )


@transaction.atomic
def indicator_add(*, engagement, by, **fields) -> Indicator:
    """Add an indicator (its fields validated by the form and the table's constraints)."""
    e = _locked(engagement)
    require(perms.can_edit_as_lea(by, e))
    _editable(e)
    order = (e.indicators.aggregate(n=Max("order"))["n"] or 0) + 1
    return Indicator.objects.create(engagement=e, order=order, **fields)


# --- Progress reports ----------------------------------------------------------------------


def _record_report(*, row, transition, previous, by, at, reason) -> ReportChange:
    return ReportChange.objects.create(
        report=row,
        action=transition.name,
        from_status=previous,
        to_status=row.status,
        by=by,
        at=at,
        reason=reason,
    )


def _submitter(user, report) -> Decision:
    return perms.can_submit_report(user, report)


REPORT_LIFECYCLE = lifecycle.Lifecycle(
    model=ProgressReport,
    transitions=[
        lifecycle.transition(
            "submit",
            "Submit the report",
            "submitted",
            [R.OPEN, R.RETURNED],
            R.SUBMITTED,
            _submitter,
            bulk=False,
        ),
        lifecycle.transition(
            "accept",
            "Accept with feedback",
            "accepted",
            [R.SUBMITTED],
            R.ACCEPTED,
            perms.can_review_report,
            reason_prompt="Feedback",
            reason_keyword="feedback",
            bulk=False,
        ),
        lifecycle.transition(
            "return",
            "Return for changes",
            "returned for changes",
            [R.SUBMITTED],
            R.RETURNED,
            perms.can_review_report,
            reason_required=True,
            reason_prompt="What should change?",
            reason_keyword="feedback",
            reason_missing="Say what should change: the feedback is required.",
            bulk=False,
        ),
    ],
    record=_record_report,
    refused=EngagementRefused,
    object_keyword="report",
    select_related=("engagement__request__lea",),
    touch=lambda r, now: ["updated_at"],
    describe=lambda r: f"{r}",
    noun="a report",
)


def report_problems(report, indicators, deliverables) -> list[str]:
    """Return what a report lacks before it can be submitted."""
    problems = []
    if not (report.done.strip() and report.struggling.strip() and report.changes.strip()):
        problems.append("Write the narrative: what was done, what is struggling, what changes.")
    cadence = schedule.report_cadence_months(indicators)
    measured = set(report.measurements.values_list("indicator_id", flat=True))
    for indicator in indicators:
        if schedule.indicator_due(indicator, report, cadence) and indicator.pk not in measured:
            problems.append(f"Give a measurement of “{indicator.name}”.")
    given = set(report.deliverable_statuses.values_list("deliverable_id", flat=True))
    if any(d.pk not in given for d in deliverables):
        problems.append("Give the status of every deliverable.")
    return problems


def _report_for_edit(report, by) -> ProgressReport:
    row = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("engagement__request")
        .get(pk=report.pk)
    )
    require(perms.can_write_report(by, row.engagement))
    if row.status not in (R.OPEN, R.RETURNED):
        raise EngagementRefused(
            f"{row} is {row.get_status_display().lower()}: it cannot be edited."
        )
    if not row.engagement.is_running:
        raise EngagementRefused("Reports are written while the engagement is active or paused.")
    return row


@transaction.atomic
def progress_report_save(
    *, report, by, narrative: dict, measurements: dict, deliverables: dict, uploads=()
) -> ProgressReport:
    """Save a report's draft: narrative, measurements {indicator: (value, date, note)},
    deliverable statuses {deliverable: (state, note)} and new attachments (already checked)."""
    row = _report_for_edit(report, by)
    for name in ("done", "struggling", "changes"):
        setattr(row, name, (narrative.get(name) or "").strip())
    row.save(update_fields=["done", "struggling", "changes", "updated_at"])
    for indicator, (value, measured_on, note) in measurements.items():
        if indicator.engagement_id != row.engagement_id:
            raise EngagementRefused("That indicator belongs to another engagement.")
        if value is None:
            row.measurements.filter(indicator=indicator).delete()
            continue
        Measurement.objects.update_or_create(
            report=row,
            indicator=indicator,
            defaults={"value": value, "measured_on": measured_on, "note": note or ""},
        )
    for deliverable, (state, note) in deliverables.items():
        if deliverable.scope_of_work_id != row.engagement.agreement_id:
            raise EngagementRefused("That deliverable belongs to another agreement.")
        DeliverableStatus.objects.update_or_create(
            report=row, deliverable=deliverable, defaults={"state": state, "note": note or ""}
        )
    for upload in uploads:
        attachment_store(report=row, by=by, checked=upload)
    return row


def attachment_store(*, report, by, checked) -> ReportAttachment:
    """Store an upload already checked by its content (requests_intake.attachments.check_upload)."""
    attachment = ReportAttachment(
        report=report,
        token=secrets.token_hex(16),
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    checked.upload.seek(0)
    attachment.file.save("attachment", checked.upload, save=False)
    attachment.save()
    return attachment


@REPORT_LIFECYCLE.service("submit")
def progress_report_submit(*, report: ProgressReport, by) -> ProgressReport:
    """Submit a complete report to CCEE; the reviewer is told."""

    def change(r, now):
        e = r.engagement
        if not e.is_running:
            raise EngagementRefused(
                "Reports are submitted while the engagement is active or paused."
            )
        problems = report_problems(
            r, list(e.indicators.all()), list(e.agreement.deliverables.all())
        )
        if problems:
            raise EngagementRefused("The report is not complete: " + " ".join(problems))
        r.submitted_at, r.submitted_by = now, by
        return ["submitted_at", "submitted_by"]

    def after(r, history):
        e = r.engagement
        _notify(
            K.REPORT_SUBMITTED,
            e,
            notices.reviewer_recipients(e.request),
            f"rep{r.pk}c{history.pk}",
            "staff",
            report=r,
        )

    return REPORT_LIFECYCLE.run("submit", report, by=by, change=change, after=after)


def _reviewed(kind):
    def after(r, history):
        e = r.engagement
        _notify(
            kind,
            e,
            team_recipients(e),
            f"rep{r.pk}c{history.pk}",
            "lea",
            report=r,
            feedback=history.reason,
        )

    return after


def _feedback_change(feedback):
    def change(r, now):
        r.feedback, r.reviewed_at = (feedback or "").strip(), now
        return ["feedback", "reviewed_at", "reviewed_by"]

    return change


@REPORT_LIFECYCLE.service("accept")
def progress_report_accept(*, report: ProgressReport, by, feedback: str = "") -> ProgressReport:
    """Accept a submitted report with the reviewer's feedback; the leading team is told."""
    change = _feedback_change(feedback)

    def with_reviewer(r, now):
        r.reviewed_by = by
        return change(r, now)

    return REPORT_LIFECYCLE.run(
        "accept",
        report,
        by=by,
        reason=feedback,
        change=with_reviewer,
        after=_reviewed(K.REPORT_REVIEWED),
    )


@REPORT_LIFECYCLE.service("return")
def progress_report_return(*, report: ProgressReport, by, feedback: str) -> ProgressReport:
    """Return a submitted report for changes, saying what should change."""
    change = _feedback_change(feedback)

    def with_reviewer(r, now):
        r.reviewed_by = by
        return change(r, now)

    return REPORT_LIFECYCLE.run(
        "return",
        report,
        by=by,
        reason=feedback,
        change=with_reviewer,
        after=_reviewed(K.REPORT_RETURNED),
    )


# --- Closeout and the success story --------------------------------------------------------


@transaction.atomic
def closeout_record(*, engagement, by, outcomes: dict, sustainability: str) -> Engagement:
    """Record each indicator's final outcome {indicator: (value, note)} and what is sustained."""
    e = _locked(engagement)
    require(perms.can_edit_as_lea(by, e))
    if e.status not in (S.ACTIVE, S.PAUSED):
        raise EngagementRefused("The closeout is recorded while the engagement is active.")
    for indicator, (value, note) in outcomes.items():
        if indicator.engagement_id != e.pk:
            raise EngagementRefused("That indicator belongs to another engagement.")
        indicator.final_value, indicator.final_note = value, (note or "").strip()
        indicator.save(update_fields=["final_value", "final_note"])
    e.sustainability = (sustainability or "").strip()
    e.save(update_fields=["sustainability", "updated_at"])
    EngagementChange.objects.create(
        engagement=e,
        action="closeout_recorded",
        from_status=e.status,
        to_status=e.status,
        by=by,
        reason="Final outcomes and sustainability recorded.",
    )
    return e


@transaction.atomic
def success_story_consent(*, engagement, by, summary: str) -> Engagement:
    """Record the LEA's consent to a public success story (an LEA member gives it)."""
    e = _locked(engagement)
    if not (perms.is_lea_member(by, e) and by.has_perm(perms.LEA_EDIT)):
        raise EngagementRefused("Only a member of the LEA can give its consent.")
    e.success_story_consent_by, e.success_story_consent_at = by, timezone.now()
    e.success_story_summary = (summary or "").strip() or e.success_story_summary
    e.save(
        update_fields=[
            "success_story_consent_by",
            "success_story_consent_at",
            "success_story_summary",
            "updated_at",
        ]
    )
    EngagementChange.objects.create(
        engagement=e,
        action="consent_given",
        from_status=e.status,
        to_status=e.status,
        by=by,
        reason="The LEA consents to a public success story.",
    )
    return e


@transaction.atomic
def success_story_mark(*, engagement, by, marked: bool) -> Engagement:
    """Mark (or unmark) the engagement as a success story; marking needs the LEA's consent."""
    e = _locked(engagement)
    require(perms.can_mark_story(by, e))
    if marked and e.success_story_consent_at is None:
        raise EngagementRefused("The LEA has not consented: a success story needs its consent.")
    e.success_story, e.success_story_marked_by = marked, by
    e.save(update_fields=["success_story", "success_story_marked_by", "updated_at"])
    EngagementChange.objects.create(
        engagement=e,
        action="success_story" if marked else "success_story_removed",
        from_status=e.status,
        to_status=e.status,
        by=by,
        reason="Marked as a success story." if marked else "No longer a success story.",
    )
    return e
