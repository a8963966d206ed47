"""Off-track detection, chart data, report submission and review."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from engagements import selectors, services
from engagements.models import Indicator, Measurement, ProgressReport, ReportChange
from engagements.notice_kinds import K
from notices.models import Notice

from .bulk import bulk_engagements
from .conftest import fill_report

R = ProgressReport.Status


def _indicator(baseline, target, start=date(2027, 1, 1), end=date(2027, 12, 31)):
    return SimpleNamespace(
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        baseline_date=start,
        target_date=end,
        higher_is_better=Decimal(target) > Decimal(baseline),
    )


def test_off_track_is_below_the_straight_line_from_baseline_to_target():
    rising = _indicator("20", "40", date(2027, 1, 1), date(2027, 12, 27))  # 360 days
    midway = date(2027, 6, 30)  # day 180: the line is at 30
    assert selectors.expected_value(rising, midway) == Decimal("30")
    assert selectors.is_off_track(rising, Decimal("29.9"), midway)
    assert not selectors.is_off_track(rising, Decimal("30"), midway)
    # Before the baseline and after the target the line holds its end values.
    assert selectors.expected_value(rising, date(2026, 1, 1)) == Decimal("20")
    assert selectors.expected_value(rising, date(2028, 6, 1)) == Decimal("40")


def test_off_track_is_above_the_line_when_lower_is_better():
    absenteeism = _indicator("30", "10", date(2027, 1, 1), date(2027, 12, 27))
    midway = date(2027, 6, 30)  # the line is at 20
    assert selectors.is_off_track(absenteeism, Decimal("21"), midway)
    assert not selectors.is_off_track(absenteeism, Decimal("19"), midway)


# (baseline, target): a rising target and one where lower is better.
LINES = [(Decimal("20"), Decimal("40")), (Decimal("30"), Decimal("10"))]
# Days after the baseline date: before it, on it, a day where the line is not a round number
# (100 of 360), midway, on the target date and after it.
DAYS = [-40, 0, 100, 180, 360, 500]


@pytest.mark.django_db
def test_the_portfolio_s_sql_decides_off_track_as_is_off_track_does(lea, lea_staff):
    start = date(2027, 1, 1)
    cases = [(line, day, step) for line in LINES for day in DAYS for step in (-1, 0, 1)]
    bulk_engagements(
        len(cases) // 2,  # two indicators each
        lea=lea,
        created_by=lea_staff,
        start=start,
        end=start + timedelta(days=360),
        due_dates=[start + timedelta(days=90)],
        reported=1,
    )
    measurements = list(Measurement.objects.select_related("indicator").order_by("pk"))
    assert len(measurements) == len(cases)
    for measurement, ((baseline, target), day, step) in zip(measurements, cases, strict=True):
        indicator = measurement.indicator
        indicator.baseline_value, indicator.target_value = baseline, target
        indicator.baseline_date, indicator.target_date = start, start + timedelta(days=360)
        measurement.measured_on = start + timedelta(days=day)
        # On the line (rounded to the cent), or a cent either side of it.
        on_line = selectors.expected_value(indicator, measurement.measured_on)
        measurement.value = on_line.quantize(Decimal("0.01")) + Decimal("0.01") * step
    Indicator.objects.bulk_update(
        [m.indicator for m in measurements],
        ["baseline_value", "target_value", "baseline_date", "target_date"],
    )
    Measurement.objects.bulk_update(measurements, ["measured_on", "value"])

    in_python = {
        m.pk for m in measurements if selectors.is_off_track(m.indicator, m.value, m.measured_on)
    }
    in_sql = set(
        selectors.off_track_measurements(Measurement.objects.all()).values_list("pk", flat=True)
    )
    assert in_sql == in_python
    # Both sides of the line occur, for both kinds of target.
    assert 0 < len(in_python) < len(cases)
    assert {m.indicator.higher_is_better for m in measurements if m.pk in in_python} == {
        True,
        False,
    }


@pytest.mark.django_db
def test_submit_review_and_the_chart_shows_the_measurement(active_engagement, lea_staff, reviewer):
    report = active_engagement.reports.order_by("number").first()
    with pytest.raises(services.EngagementRefused, match="narrative"):
        services.progress_report_submit(report=report, by=lea_staff)
    fill_report(report, lea_staff, value=Decimal("27.5"))
    services.progress_report_submit(report=report, by=lea_staff)
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.submitted_by == lea_staff
    assert Notice.objects.filter(kind=K.REPORT_SUBMITTED).exists()

    with pytest.raises(services.EngagementRefused, match="feedback is required"):
        services.progress_report_return(report=report, by=reviewer, feedback="")
    with pytest.raises(services.EngagementRefused, match="Only CCEE reviewers"):
        services.progress_report_accept(report=report, by=lea_staff, feedback="Mine.")
    services.progress_report_accept(report=report, by=reviewer, feedback="Strong start.")
    report.refresh_from_db()
    assert (report.status, report.feedback, report.reviewed_by) == (
        R.ACCEPTED,
        "Strong start.",
        reviewer,
    )
    assert list(ReportChange.objects.filter(report=report).values_list("action", flat=True)) == [
        "submit",
        "accept",
    ]

    page = selectors.engagement_page(active_engagement, timezone.localdate())
    indicator = active_engagement.indicators.get()
    chart = page["charts"][0]
    assert chart["id"] == indicator.pk
    assert [(p["date"], p["y"]) for p in chart["measurements"]] == [
        (report.period_end.isoformat(), 27.5)
    ]
    assert [p["y"] for p in chart["target_line"]] == [20.0, 40.0]
    assert [p["date"] for p in chart["target_line"]] == [
        indicator.baseline_date.isoformat(),
        indicator.target_date.isoformat(),
    ]


@pytest.mark.django_db
def test_a_draft_measurement_is_not_charted_and_a_returned_report_can_be_resubmitted(
    active_engagement, lea_staff, reviewer
):
    report = active_engagement.reports.order_by("number").first()
    fill_report(report, lea_staff)
    assert (
        selectors.engagement_page(active_engagement, timezone.localdate())["charts"][0][
            "measurements"
        ]
        == []
    )
    services.progress_report_submit(report=report, by=lea_staff)
    services.progress_report_return(report=report, by=reviewer, feedback="Add the spring data.")
    report.refresh_from_db()
    assert report.status == R.RETURNED
    assert Notice.objects.filter(kind=K.REPORT_RETURNED).exists()
    services.progress_report_submit(report=report, by=lea_staff)
    report.refresh_from_db()
    assert report.status == R.SUBMITTED


@pytest.mark.django_db
def test_only_the_leading_team_submits(active_engagement, lea, lea_staff):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(lea=lea).user
    report = active_engagement.reports.order_by("number").first()
    fill_report(report, colleague)  # any member of the LEA edits the draft
    with pytest.raises(services.EngagementRefused, match="leading team"):
        services.progress_report_submit(report=report, by=colleague)
    services.team_member_add(
        engagement=active_engagement, by=lea_staff, name="Sam", role="Coach", email=colleague.email
    )
    services.progress_report_submit(report=report, by=colleague)


@pytest.mark.django_db
def test_statements_are_versioned_with_reasons(active_engagement, lea_staff, reviewer):
    with pytest.raises(services.EngagementRefused, match="reason"):
        services.problem_of_practice_revise(
            engagement=active_engagement, by=lea_staff, text="Narrower.", reason=""
        )
    v2 = services.problem_of_practice_revise(
        engagement=active_engagement, by=lea_staff, text="Grade 3 EL reading.", reason="Narrower."
    )
    assert v2.number == 2
    services.problem_of_practice_check(
        version=v2, by=reviewer, of_interest=True, workable=True, important=True
    )
    v2.refresh_from_db()
    assert v2.passes_tests and v2.checked_by == reviewer
    with pytest.raises(services.EngagementRefused, match="Only CCEE reviewers"):
        services.problem_of_practice_check(
            version=v2, by=lea_staff, of_interest=True, workable=True, important=True
        )
    t1 = services.theory_of_action_revise(
        engagement=active_engagement,
        by=lea_staff,
        actions="Coach teachers",
        practice_changes="Daily small-group reading",
        student_outcomes="More read at grade level",
        reason="Complete the chain.",
    )
    page = selectors.engagement_page(active_engagement, timezone.localdate())
    assert page["problem"] == v2 and len(page["problem_history"]) == 2
    assert page["theory"] == t1


@pytest.mark.django_db
def test_the_page_reads_a_fixed_number_of_queries(
    active_engagement, lea_staff, django_assert_max_num_queries
):
    def count():
        with django_assert_max_num_queries(20) as ctx:
            engagement = selectors.engagement_get_for_user(lea_staff, active_engagement.pk)
            selectors.engagement_page(engagement, timezone.localdate())
        return len(ctx.captured_queries)

    few = count()
    for report in active_engagement.reports.order_by("number")[:3]:
        fill_report(report, lea_staff)
        services.progress_report_submit(report=report, by=lea_staff)
    assert count() == few


__all__ = ["timedelta"]
