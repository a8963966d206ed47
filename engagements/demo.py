"""The demo engagement: an executed agreement of the demo LEA, a year into its work.

Made by load_demo_data through the same services as the pages (execution, indicators, team,
activation, four quarterly reports submitted and accepted), so `make run` shows charts at once.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contracts import services as contracts
from contracts.models import Deliverable

from . import services
from .models import Engagement, Indicator

SIGNED_PDF = (  # the smallest complete PDF (with its cross-reference table): uploads are read
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
    b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n"
    b"trailer\n<</Size 3 /Root 1 0 R>>\nstartxref\n100\n%%EOF\n"
)
# (name, Dashboard code, kind, unit, baseline, target, a value per quarter)
INDICATORS = [
    (
        "English language arts, grades 3-5",
        "ela",
        Indicator.Kind.STUDENT_LEARNING,
        "% met or exceeded standard",
        "18",
        "30",
        ["19.5", "21", "22", "25"],
    ),
    (
        "Chronic absenteeism",
        "chronic_absenteeism",
        Indicator.Kind.STUDENT_LEARNING,
        "% of students chronically absent",
        "24",
        "15",
        ["23", "22.5", "21", "18"],
    ),
    (
        "Classrooms using daily small-group reading",
        "",
        Indicator.Kind.TEACHER_PRACTICE,
        "% of observed classrooms",
        "10",
        "80",
        ["25", "40", "48", "66"],
    ),
]


def load_demo_engagement(*, scope_of_work, lea_staff, reviewer, agent) -> Engagement | None:
    """Take an approved request's scope of work to execution and a year of reports (once)."""
    if Engagement.objects.filter(agreement=scope_of_work).exists():
        return None
    sow = scope_of_work
    today = timezone.localdate()
    sow.term_start, sow.term_end = today - timedelta(days=400), today + timedelta(days=30)
    sow.term_reason = "A school year of coaching cycles, and its final measurement."
    sow.save(update_fields=["term_start", "term_end", "term_reason"])
    sow.activities.update(start_date=sow.term_start, end_date=sow.term_end)
    sow.deliverables.update(due_date=sow.term_end)
    if not sow.deliverables.exists():
        Deliverable.objects.create(
            scope_of_work=sow, title="Coaching cycles", due_date=sow.term_end
        )
    contracts.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    contracts.scope_of_work_approve(scope_of_work=sow, by=agent)
    contracts.scope_of_work_send_to_lea(scope_of_work=sow, by=agent)
    contracts.scope_of_work_execute(
        scope_of_work=sow,
        by=agent,
        executed_on=sow.term_start,
        signed_copy=SimpleUploadedFile("signed-agreement.pdf", SIGNED_PDF, "application/pdf"),
    )
    engagement = Engagement.objects.get(agreement=sow)
    for name, code, kind, unit, baseline, target, _values in INDICATORS:
        services.indicator_add(
            engagement=engagement,
            by=lea_staff,
            name=name,
            dashboard_indicator=code,
            kind=kind,
            unit=unit,
            data_source="District assessment and attendance data",
            baseline_value=Decimal(baseline),
            baseline_date=sow.term_start - timedelta(days=30),
            target_value=Decimal(target),
            target_date=sow.term_end,
            cadence=Indicator.Cadence.QUARTERLY,
            student_group="",
        )
    if not engagement.team.filter(email__iexact=lea_staff.email).exists():
        services.team_member_add(
            engagement=engagement,
            by=lea_staff,
            name=lea_staff.get_full_name(),
            role="Assistant Superintendent, Educational Services",
            email=lea_staff.email,
        )
    services.theory_of_action_revise(
        engagement=engagement,
        by=lea_staff,
        actions="we coach grade 3-5 teachers in six-week cycles on small-group reading",
        practice_changes="teachers group students daily by reading need and adjust each week",
        student_outcomes="more students, English learners first, read at grade level",
        reason="The leading team wrote each link of the chain.",
    )
    services.engagement_activate(engagement=engagement, by=reviewer)
    indicators = list(engagement.indicators.all())
    for quarter, report in enumerate(engagement.reports.filter(is_final=False).order_by("number")):
        report.engagement = engagement
        services.progress_report_save(
            report=report,
            by=lea_staff,
            narrative={
                "done": f"Coaching cycle {quarter + 1} in all grade 3-5 classrooms.",
                "struggling": "Substitute coverage for release time.",
                "changes": "Coaching moves to the schools' common planning time.",
            },
            measurements={
                i: (Decimal(INDICATORS[n][6][quarter]), report.period_end, "")
                for n, i in enumerate(indicators)
            },
            deliverables=dict.fromkeys(sow.deliverables.all(), ("in_progress", "")),
        )
        services.progress_report_submit(report=report, by=lea_staff)
        services.progress_report_accept(
            report=report, by=reviewer, feedback="Thank you: the trend is clear."
        )
    return engagement
