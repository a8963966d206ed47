"""When progress reports are due, and how late an open one is: computed here and nowhere else.

Reports follow the engagement's most frequent indicator cadence from its start date; each is due
`ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS` California business days (contracts.calendar: CalHR
holidays and office closures) after its period ends, and a final report after the end date.
An open report is "due" from `ENGAGEMENT_REPORT_REMINDER_BUSINESS_DAYS` before its due date,
"overdue" `ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS` after it, and "very late"
`ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS` after it.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from contracts.calendar import add_business_days, business_days_between, local_date

from .models import CADENCE_MONTHS, ReportStatus

UPCOMING, DUE, OVERDUE, VERY_LATE = "upcoming", "due", "overdue", "very_late"
SUBMITTED, ACCEPTED = "submitted", "accepted"
STAGE_LABELS = {
    UPCOMING: "Upcoming",
    DUE: "Due soon",
    OVERDUE: "Overdue",
    VERY_LATE: "Very late",
    SUBMITTED: "Submitted",
    ACCEPTED: "Accepted",
}


@dataclass(frozen=True)
class Period:
    number: int
    start: date
    end: date
    due: date
    is_final: bool
    months_from_start: int


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def due_after(period_end: date, closures=None) -> date:
    return add_business_days(period_end, settings.ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS, closures)


def report_periods(start: date, end: date, cadence_months: int, closures=None) -> list[Period]:
    """Return the reporting periods from `start` to `end`: one per cadence, then the final one."""
    periods = []
    number, months, period_start = 1, cadence_months, start
    while True:
        period_end = add_months(start, months) - timedelta(days=1)
        if period_end >= end:
            break
        periods.append(
            Period(number, period_start, period_end, due_after(period_end, closures), False, months)
        )
        number, months, period_start = (
            number + 1,
            months + cadence_months,
            period_end + timedelta(1),
        )
    periods.append(Period(number, period_start, end, due_after(end, closures), True, months))
    return periods


def report_cadence_months(indicators) -> int:
    """Return the reporting cadence: the most frequent indicator's (quarterly if none)."""
    return min((CADENCE_MONTHS[i.cadence] for i in indicators), default=3)


def indicator_due(indicator, report, cadence_months: int) -> bool:
    """Return whether the report asks for a measurement of this indicator.

    Every report asks for the indicators measured at its cadence; a slower indicator is asked
    for every few reports (a semester indicator every second quarterly report); the final
    report asks for all.
    """
    if report.is_final:
        return True
    return (report.number * cadence_months) % CADENCE_MONTHS[indicator.cadence] == 0


def report_stage(report, today: date, closures=()) -> str:
    """Return where a report stands: upcoming, due, overdue, very late, submitted, accepted."""
    if report.status == ReportStatus.ACCEPTED:
        return ACCEPTED
    if report.status == ReportStatus.SUBMITTED:
        return SUBMITTED
    if today <= report.due_date:
        before = business_days_between(today, report.due_date, closures)
        return DUE if before <= settings.ENGAGEMENT_REPORT_REMINDER_BUSINESS_DAYS else UPCOMING
    late = business_days_between(report.due_date, today, closures)
    if late >= settings.ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS:
        return VERY_LATE
    if late >= settings.ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS:
        return OVERDUE
    return DUE


def submitted_late(report) -> bool:
    """Return whether a report was (last) submitted after its due date."""
    return report.submitted_at is not None and local_date(report.submitted_at) > report.due_date
