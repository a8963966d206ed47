"""Report due dates on California business days, and the late flags."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from engagements import schedule
from engagements.models import ReportStatus


def _report(due, status=ReportStatus.OPEN, submitted_at=None):
    return SimpleNamespace(due_date=due, status=status, submitted_at=submitted_at)


def test_quarterly_periods_end_before_the_end_date_then_a_final_report(settings):
    settings.ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS = 10
    periods = schedule.report_periods(date(2027, 1, 4), date(2027, 12, 17), 3, closures=())
    assert [(p.start, p.end) for p in periods] == [
        (date(2027, 1, 4), date(2027, 4, 3)),
        (date(2027, 4, 4), date(2027, 7, 3)),
        (date(2027, 7, 4), date(2027, 10, 3)),
        (date(2027, 10, 4), date(2027, 12, 17)),
    ]
    assert [p.is_final for p in periods] == [False, False, False, True]
    # Period 2 ends Saturday July 3; ten business days later skips Monday July 5, the observed
    # Independence Day (July 4, 2027 is a Sunday).
    assert periods[1].due == date(2027, 7, 19)


@pytest.mark.parametrize(
    ("period_end", "due"),
    [
        # Thanksgiving and the day after (Nov 25-26, 2027) are CalHR holidays.
        (date(2027, 11, 19), date(2027, 12, 7)),
        # Christmas 2027 is a Saturday: no office closes for it, so Dec 24 is a business day.
        (date(2027, 12, 17), date(2027, 12, 31)),
        # César Chávez Day, March 31, 2027 (a Wednesday).
        (date(2027, 3, 19), date(2027, 4, 5)),
    ],
)
def test_due_dates_skip_calhr_holidays(settings, period_end, due):
    settings.ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS = 10
    assert schedule.due_after(period_end, closures=()) == due


def test_an_office_closure_moves_the_due_date(settings):
    settings.ENGAGEMENT_REPORT_DUE_BUSINESS_DAYS = 1
    assert schedule.due_after(date(2027, 3, 1), closures=()) == date(2027, 3, 2)
    assert schedule.due_after(date(2027, 3, 1), closures={date(2027, 3, 2)}) == date(2027, 3, 3)


def test_a_semester_indicator_is_due_every_second_quarterly_report():
    semester = SimpleNamespace(cadence="semester")
    quarterly = SimpleNamespace(cadence="quarterly")
    reports = [SimpleNamespace(number=n, is_final=n == 4) for n in (1, 2, 3, 4)]
    assert [schedule.indicator_due(semester, r, 3) for r in reports] == [False, True, False, True]
    assert all(schedule.indicator_due(quarterly, r, 3) for r in reports)
    assert schedule.report_cadence_months([semester, quarterly]) == 3


def test_late_flags_follow_the_configured_business_day_thresholds(settings):
    settings.ENGAGEMENT_REPORT_REMINDER_BUSINESS_DAYS = 5
    settings.ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS = 1
    settings.ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS = 10
    due = date(2027, 3, 5)  # a Friday
    stage = schedule.report_stage
    assert stage(_report(due), date(2027, 2, 19)) == schedule.UPCOMING
    assert stage(_report(due), date(2027, 2, 26)) == schedule.DUE  # five business days before
    assert stage(_report(due), date(2027, 3, 5)) == schedule.DUE
    assert stage(_report(due), date(2027, 3, 6)) == schedule.DUE  # Saturday: no business day yet
    assert stage(_report(due), date(2027, 3, 8)) == schedule.OVERDUE
    assert stage(_report(due), date(2027, 3, 18)) == schedule.OVERDUE  # nine business days late
    assert stage(_report(due), date(2027, 3, 19)) == schedule.VERY_LATE
    settings.ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS = 3
    assert stage(_report(due), date(2027, 3, 10)) == schedule.VERY_LATE


def test_a_submitted_report_is_flagged_late_when_it_came_after_its_due_date():
    pacific = ZoneInfo("America/Los_Angeles")
    on_time = _report(
        date(2027, 3, 5), ReportStatus.SUBMITTED, datetime(2027, 3, 5, 23, tzinfo=pacific)
    )
    late = _report(
        date(2027, 3, 5), ReportStatus.SUBMITTED, datetime(2027, 3, 6, 0, 30, tzinfo=pacific)
    )
    assert schedule.report_stage(on_time, date(2027, 4, 1)) == schedule.SUBMITTED
    assert not schedule.submitted_late(on_time)
    assert schedule.submitted_late(late)
