"""Build engagements through the services (tests' helper; the browser tests use it too)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contracts.models import Deliverable
from engagements import services
from engagements.models import Engagement, Indicator
from tests.contracts.flow import advance
from tests.factories import approved_request


def executed_engagement(*, lea, lea_staff, reviewer, agent) -> Engagement:
    """Approve a request of `lea`, take its agreement to execution; return the engagement."""
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    sow = req.scope_of_work
    today = timezone.localdate()
    sow.term_start, sow.term_end = today - timedelta(days=10), today + timedelta(days=360)
    sow.term_reason = "A school year of coaching cycles and its final measurement."
    sow.save(update_fields=["term_start", "term_end", "term_reason"])
    Deliverable.objects.create(
        scope_of_work=sow, title="Coaching cycles for grade 3-5 teachers", due_date=sow.term_end
    )
    Deliverable.objects.create(
        scope_of_work=sow, title="Reading data review", due_date=sow.term_end
    )
    advance(sow, sow.Status.EXECUTED, reviewer=reviewer, agent=agent)
    return Engagement.objects.select_related("request__lea", "agreement").get(agreement=sow)


def add_indicator(engagement, by, **overrides) -> Indicator:
    today = timezone.localdate()
    fields = {
        "name": "Grade 3 ELA proficiency",
        "kind": Indicator.Kind.STUDENT_LEARNING,
        "dashboard_indicator": "ela",
        "unit": "% met standard",
        "data_source": "i-Ready diagnostics",
        "baseline_value": Decimal("20"),
        "baseline_date": today - timedelta(days=30),
        "target_value": Decimal("40"),
        "target_date": today + timedelta(days=335),
        "cadence": Indicator.Cadence.QUARTERLY,
        "student_group": "",
    }
    fields.update(overrides)
    return services.indicator_add(engagement=engagement, by=by, **fields)


def fill_report(report, by, *, value=Decimal("25"), on=None):
    """Save a complete draft of the report (narrative, measurements due, deliverables)."""
    engagement = report.engagement
    indicators = list(engagement.indicators.all())
    return services.progress_report_save(
        report=report,
        by=by,
        narrative={
            "done": "Six coaching cycles.",
            "struggling": "Substitutes.",
            "changes": "Pairs.",
        },
        measurements=dict.fromkeys(indicators, (value, on or report.period_end, "")),
        deliverables=dict.fromkeys(engagement.agreement.deliverables.all(), ("in_progress", "")),
    )
