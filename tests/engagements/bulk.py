"""Many running engagements at once (bulk_create), for the sweep's and the portfolio's scale.

Each has its request (approved), executed agreement, one member of the leading team, two
indicators, and its report schedule; `reported` of its reports are accepted with measurements.
Used by the sweep test and by bench/bench_portfolio.py.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contracts.models import ScopeOfWork
from engagements.models import (
    Engagement,
    Indicator,
    Measurement,
    ProgressReport,
    ReportStatus,
    TeamMember,
)
from requests_intake.models import AssistanceRequest

BATCH = 1000


def bulk_engagements(count: int, *, lea, created_by, start, end, due_dates, reported=0):
    """Create `count` active engagements from `start` to `end`, one report due on each date
    of `due_dates` (the first `reported` accepted with a measurement of each indicator)."""
    now = timezone.now()
    stamp = f"{now:%H%M%S%f}"[-8:]
    requests = AssistanceRequest.objects.bulk_create(
        [
            AssistanceRequest(
                lea=lea,
                created_by=created_by,
                status=AssistanceRequest.Status.APPROVED,
                reference=f"B{stamp[:4]}-{n:06d}",
                primary_contact_name="Jordan Lee",
                primary_contact_email=f"contact{n}@bulk.example.org",
                problem_of_practice="Grade 3 reading.",
                received_at=now,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    sows = ScopeOfWork.objects.bulk_create(
        [
            ScopeOfWork(
                request=r,
                status=ScopeOfWork.Status.EXECUTED,
                approved_at=now,
                due_date=start,
                term_start=start,
                term_end=end,
                cost_basis="state_funded",
                executed_on=start,
            )
            for r in requests
        ],
        batch_size=BATCH,
    )
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                request=r,
                agreement=s,
                status=Engagement.Status.ACTIVE,
                method=Engagement.Method.SUCCESS_COACH,
                start_date=start,
                end_date=end,
                activated_on=start,
            )
            for r, s in zip(requests, sows, strict=True)
        ],
        batch_size=BATCH,
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(
                engagement=e,
                name="Dana Diaz",
                role="Principal",
                email=f"lead{e.pk}@bulk.example.org",
            )
            for e in engagements
        ],
        batch_size=BATCH,
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                engagement=e,
                name=name,
                kind=Indicator.Kind.STUDENT_LEARNING,
                unit="%",
                data_source="Diagnostics",
                baseline_value=Decimal("20"),
                baseline_date=start,
                target_value=Decimal("40"),
                target_date=end,
                order=order,
            )
            for e in engagements
            for order, name in enumerate(["Reading", "Mathematics"])
        ],
        batch_size=BATCH,
    )
    reports = ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                engagement=e,
                number=n + 1,
                is_final=n == len(due_dates) - 1,
                period_start=start,
                period_end=min(due, end) - timedelta(days=14),
                due_date=due,
                status=ReportStatus.ACCEPTED if n < reported else ReportStatus.OPEN,
                submitted_at=now if n < reported else None,
            )
            for e in engagements
            for n, due in enumerate(due_dates)
        ],
        batch_size=BATCH,
    )
    by_engagement = {}
    for report in reports:
        by_engagement.setdefault(report.engagement_id, []).append(report)
    Measurement.objects.bulk_create(
        [
            Measurement(
                report=report,
                indicator=i,
                value=Decimal("22") + report.number + (i.order * 5),
                measured_on=report.period_end,
            )
            for i in indicators
            for report in by_engagement[i.engagement_id][:reported]
        ],
        batch_size=BATCH,
    )
    return engagements
