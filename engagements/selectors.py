"""Reads the engagement pages need, in a fixed number of queries whatever their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Greatest, Least
from django.http import Http404

from contracts.calendar import closures_between, is_business_day

from . import permissions as perms
from . import schedule
from .models import (
    DeliverableStatus,
    Engagement,
    Indicator,
    Measurement,
    ProgressReport,
    ReportStatus,
)

R = ReportStatus
# Measurements count once the LEA has submitted them (a draft's values are not yet reported).
REPORTED = (R.SUBMITTED, R.ACCEPTED)
OPEN = (R.OPEN, R.RETURNED)


def engagement_get_for_user(user, pk: int) -> Engagement:
    """Return the engagement if the person may see its page, else raise Http404."""
    engagement = (
        Engagement.objects.select_related("request__lea", "agreement").filter(pk=pk).first()
    )
    if engagement is None or not perms.can_view(user, engagement):
        raise Http404
    return engagement


def report_get_for_user(user, engagement, number: int) -> ProgressReport:
    report = engagement.reports.filter(number=number).first()
    if report is None:
        raise Http404
    report.engagement = engagement
    return report


# --- Off track and chart data (pure) -------------------------------------------------------


def expected_value(indicator, on: date) -> Decimal:
    """Return the value on the straight line from baseline to target at `on` (held at the ends)."""
    span = (indicator.target_date - indicator.baseline_date).days
    elapsed = min(max((on - indicator.baseline_date).days, 0), span)
    rise = indicator.target_value - indicator.baseline_value
    return indicator.baseline_value + rise * Decimal(elapsed) / Decimal(span)


def is_off_track(indicator, value: Decimal, on: date) -> bool:
    """Return whether a measurement is on the wrong side of the line from baseline to target.

    "Below the line" where the target is above the baseline; above it where a lower value is
    better (chronic absenteeism, suspension rate: the target is below the baseline).
    """
    expected = expected_value(indicator, on)
    return value < expected if indicator.higher_is_better else value > expected


def _epoch_day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def chart_data(indicator, measurements) -> dict:
    """Return one indicator's chart: its measurements, baseline and target line (json_script)."""
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "unit": indicator.unit,
        "measurements": [
            {"x": _epoch_day(m.measured_on), "y": float(m.value), "date": m.measured_on.isoformat()}
            for m in measurements
        ],
        "target_line": [
            {
                "x": _epoch_day(indicator.baseline_date),
                "y": float(indicator.baseline_value),
                "date": indicator.baseline_date.isoformat(),
            },
            {
                "x": _epoch_day(indicator.target_date),
                "y": float(indicator.target_value),
                "date": indicator.target_date.isoformat(),
            },
        ],
    }


# --- The engagement page -------------------------------------------------------------------


@dataclass
class IndicatorView:
    indicator: Indicator
    measurements: list
    chart: dict
    latest: Measurement | None = None
    off_track: bool = False


@dataclass
class ReportView:
    report: ProgressReport
    stage: str
    label: str
    late: bool
    due_indicators: list = field(default_factory=list)


def _closures(start: date, end: date):
    return closures_between(start - timedelta(days=30), end + timedelta(days=400))


def indicator_views(engagement) -> list[IndicatorView]:
    reported = Measurement.objects.filter(report__status__in=REPORTED).order_by("measured_on", "pk")
    indicators = engagement.indicators.prefetch_related(
        Prefetch("measurements", queryset=reported, to_attr="reported")
    )
    views = []
    for indicator in indicators:
        latest = indicator.reported[-1] if indicator.reported else None
        views.append(
            IndicatorView(
                indicator=indicator,
                measurements=indicator.reported,
                chart=chart_data(indicator, indicator.reported),
                latest=latest,
                off_track=latest is not None
                and is_off_track(indicator, latest.value, latest.measured_on),
            )
        )
    return views


def report_views(engagement, indicators, today: date, closures) -> list[ReportView]:
    cadence = schedule.report_cadence_months(indicators)
    views = []
    for report in engagement.reports.order_by("number"):
        report.engagement = engagement
        stage = schedule.report_stage(report, today, closures)
        views.append(
            ReportView(
                report=report,
                stage=stage,
                label=schedule.STAGE_LABELS[stage],
                late=stage in (schedule.OVERDUE, schedule.VERY_LATE)
                or schedule.submitted_late(report),
                due_indicators=[
                    i for i in indicators if schedule.indicator_due(i, report, cadence)
                ],
            )
        )
    return views


def deliverable_statuses(engagement) -> list[dict]:
    """Return each deliverable of the agreement with its latest reported status (agent's view)."""
    deliverables = list(engagement.agreement.deliverables.all())
    latest = {}
    statuses = (
        DeliverableStatus.objects.filter(report__engagement=engagement, report__status__in=REPORTED)
        .select_related("report")
        .order_by("report__number")
    )
    for status in statuses:
        latest[status.deliverable_id] = status
    return [{"deliverable": d, "status": latest.get(d.pk)} for d in deliverables]


def engagement_page(engagement, today: date) -> dict:
    """Return what the engagement page shows, for the LEA and in the admin."""
    indicators = indicator_views(engagement)
    closures = _closures(engagement.start_date, engagement.end_date)
    plain = [v.indicator for v in indicators]
    problems = list(
        engagement.problem_versions.select_related("by", "checked_by").order_by("-number")
    )
    theories = list(engagement.theory_versions.select_related("by").order_by("-number"))
    return {
        "engagement": engagement,
        "indicators": indicators,
        "charts": [v.chart for v in indicators],
        "reports": report_views(engagement, plain, today, closures),
        "problem": problems[0] if problems else None,
        "problem_history": problems,
        "theory": theories[0] if theories else None,
        "theory_history": theories,
        "team": list(engagement.team.all()),
        "history": list(engagement.changes.select_related("by")),
        "deliverables": deliverable_statuses(engagement),
        "has_student_learning": any(i.kind == Indicator.Kind.STUDENT_LEARNING for i in plain),
    }


# Others' engagements a person takes part in (the providers assigned to them): each entry is
# (user) -> a queryset of engagement ids; a higher app registers its own (providers.apps).
PARTICIPANT_ENGAGEMENTS: list = []


def lea_engagements(user):
    """Return the engagements of the person's LEAs and those the person takes part in."""
    visible = Q(pk__in=Engagement.objects.visible_to_lea_member(user).values("pk"))
    for engagement_ids in PARTICIPANT_ENGAGEMENTS:
        visible |= Q(pk__in=engagement_ids(user))
    return Engagement.objects.filter(visible).select_related("request__lea").order_by("-opened_at")


# --- The reviewers' portfolio --------------------------------------------------------------


def nth_business_day_back(today: date, count: int, closures) -> date:
    """Return the `count`-th business day on or before today (count ≥ 1); today for 0."""
    day, seen = today, 0
    while True:
        if is_business_day(day, closures):
            seen += 1
            if seen >= count:
                return day
        day -= timedelta(days=1)


def _late_cutoffs(today: date, closures) -> tuple[date, date]:
    """Return the due dates before which an open report is overdue, and very late, today.

    A report is overdue when at least N business days lie after its due date up to today:
    exactly when its due date is before the N-th business day counted back from today.
    """
    overdue = settings.ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS
    very_late = settings.ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS
    back = nth_business_day_back
    return (
        back(today, overdue, closures) if overdue else today + timedelta(days=1),
        back(today, very_late, closures) if very_late else today + timedelta(days=1),
    )


PORTFOLIO_PAGE_SIZE = 100


class DaysBetween(Func):
    """The whole days from the second date to the first (`later - earlier`), as an integer."""

    arg_joiner = " - "
    template = "(%(expressions)s)"  # PostgreSQL: date - date is a number of days
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def off_track_measurements(measurements):
    """Return those of `measurements` that is_off_track would call off track, decided in SQL.

    is_off_track's comparison with the line, multiplied through by the line's span in days (never
    zero: the target date is after the baseline date), so that no division is made: for a rising
    target, (value − baseline) × span < (target − baseline) × elapsed days, held at the ends.
    """
    span = DaysBetween(F("indicator__target_date"), F("indicator__baseline_date"))
    elapsed = Least(
        Greatest(DaysBetween(F("measured_on"), F("indicator__baseline_date")), Value(0)), span
    )
    rising = Q(indicator__target_value__gt=F("indicator__baseline_value"))
    return measurements.annotate(
        gap=(F("value") - F("indicator__baseline_value")) * span,
        line=(F("indicator__target_value") - F("indicator__baseline_value")) * elapsed,
    ).filter((rising & Q(gap__lt=F("line"))) | (~rising & Q(gap__gt=F("line"))))


def _off_track_by_engagement() -> dict[int, list]:
    """Return {engagement id: [indicator names off track]} over every running engagement.

    One query, which returns only the off-track indicators: each running indicator's latest
    reported measurement (one subquery), compared with the line in SQL (off_track_measurements).
    Reading every indicator to decide in Python took 177 ms at 5,000 engagements.
    """
    latest = Measurement.objects.filter(
        indicator=OuterRef("indicator"), report__status__in=REPORTED
    ).order_by("-measured_on", "-pk")
    latest_of_running = Measurement.objects.filter(
        indicator__engagement__status__in=[Engagement.Status.ACTIVE, Engagement.Status.PAUSED],
        pk=Subquery(latest.values("pk")[:1]),
    ).values("pk")
    # The line is compared outside the subquery: in one query with the engagements' join, the
    # planner expected a handful of rows and looped over every engagement for each of them
    # (2.4 s at 5,000 engagements).
    rows = (
        off_track_measurements(Measurement.objects.filter(pk__in=latest_of_running))
        .order_by("indicator__engagement_id", "indicator__order", "indicator_id")
        .values_list("indicator__engagement_id", "indicator__name")
    )
    off_track: dict[int, list] = {}
    for engagement_id, name in rows:
        off_track.setdefault(engagement_id, []).append(name)
    return off_track


def portfolio(today: date, *, page: int | str | None = 1, ending_within_days=None) -> dict:
    """Return the running engagements (a page of them) with their next report due, late reports,
    off-track indicators and whether the end date is near, and the counts over all of them.

    A fixed number of queries whatever the number of engagements: the counts, the off-track
    indicators of all (one query), the page's ids, and the page's rows with their aggregates.
    """
    days = (
        settings.ENGAGEMENT_ENDING_SOON_DAYS if ending_within_days is None else ending_within_days
    )
    closures = closures_between(today - timedelta(days=120), today)
    overdue_before, very_late_before = _late_cutoffs(today, closures)
    ending_by = today + timedelta(days=days)
    running = Engagement.objects.running()
    overdue = Q(reports__status__in=OPEN, reports__due_date__lt=overdue_before)
    off_track = _off_track_by_engagement()
    paginator = Paginator(
        running.order_by("end_date", "pk").values_list("pk", flat=True), PORTFOLIO_PAGE_SIZE
    )
    current = paginator.get_page(page)
    ids = list(current.object_list)
    is_open = Q(reports__status__in=OPEN)
    rows = list(
        Engagement.objects.filter(pk__in=ids)
        .select_related("request__lea")
        .annotate(
            next_due=Min("reports__due_date", filter=is_open & Q(reports__due_date__gte=today)),
            overdue_count=Count(
                "reports", filter=is_open & Q(reports__due_date__lt=overdue_before)
            ),
            very_late_count=Count(
                "reports", filter=is_open & Q(reports__due_date__lt=very_late_before)
            ),
        )
        .order_by("end_date", "pk")
    )
    for row in rows:
        row.off_track = off_track.get(row.pk, [])
        row.ending_soon = row.end_date <= ending_by
    return {
        "rows": rows,
        "page": current,
        "today": today,
        "ending_within_days": days,
        "counts": {
            "running": paginator.count,
            "with_overdue": running.filter(overdue).values("pk").distinct().count(),
            "off_track": len(off_track),
            "ending_soon": running.filter(end_date__lte=ending_by).count(),
        },
    }


def deliverable_board(engagement_ids=None) -> list[dict]:
    """Return the running and completed engagements with their deliverables' latest status.

    For the administrative agent: titles and states only, never narratives or notes.
    """
    engagements = list(
        Engagement.objects.exclude(status=Engagement.Status.SETUP)
        .select_related("request__lea")
        .prefetch_related("agreement__deliverables")
        .order_by("request__reference")
    )
    statuses = (
        DeliverableStatus.objects.filter(
            report__engagement__in=[e.pk for e in engagements], report__status__in=REPORTED
        )
        .order_by("report__number")
        .values("report__engagement_id", "deliverable_id", "state")
    )
    latest = {}
    for s in statuses:
        latest[(s["report__engagement_id"], s["deliverable_id"])] = s["state"]
    labels = dict(DeliverableStatus.State.choices)
    return [
        {
            "engagement": e,
            "deliverables": [
                {
                    "title": d.title,
                    "due_date": d.due_date,
                    "state": labels.get(latest.get((e.pk, d.pk)), "No report yet"),
                }
                for d in e.agreement.deliverables.all()
            ],
        }
        for e in engagements
    ]
