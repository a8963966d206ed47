"""After execution: the LEA defines an indicator, submits a report, the reviewer gives feedback,
and the chart shows the measurement. axe-core finds nothing serious or critical on any page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Engagement, ProgressReport
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.engagements.flow import executed_engagement


def _switch(page, user, *, admin):
    page.context.clear_cookies()
    (sign_in_admin if admin else sign_in)(page, user)


def _transition(page, label):
    page.get_by_role("link", name=label, exact=True).click()
    page.get_by_role("button", name=label, exact=True).or_(
        page.locator(f'input[type="submit"][value="{label}"]')
    ).click()
    page.wait_for_load_state()


def test_indicator_report_feedback_and_the_chart_shows_the_measurement(
    page, settings, tmp_path, lea, lea_staff, reviewer, agent
):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    engagement = executed_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)
    services.team_member_add(
        engagement=engagement,
        by=lea_staff,
        name="Dana Diaz",
        role="Principal",
        email=lea_staff.email,
    )
    detail = reverse("engagements:detail", args=[engagement.pk])
    today = timezone.localdate()

    # The LEA defines a student-learning indicator from the Dashboard's ready list.
    sign_in(page, lea_staff)
    page.goto(detail)
    assert page.get_by_text("Being set up").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("California School Dashboard indicator").select_option(
        label="English language arts"
    )
    page.get_by_label("Baseline value").fill("20")
    page.get_by_label("Baseline date").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Target value").fill("40")
    page.get_by_label("Target date").fill((today + timedelta(days=300)).isoformat())
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add the indicator").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="English language arts").is_visible()

    # The reviewer activates the engagement in the admin: the schedule of reports is written.
    _switch(page, reviewer, admin=True)
    page.goto(reverse("admin:engagements_engagement_change", args=[engagement.pk]))
    assert axe_violations(page) == []
    _transition(page, "Activate")
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    report = engagement.reports.order_by("number").first()

    # The LEA's leading team submits the first report with its measurement.
    _switch(page, lea_staff, admin=False)
    page.goto(detail)
    page.locator("#report-timeline").get_by_role("link", name="Report 1").click()
    page.get_by_label("What was done").fill("Two coaching cycles in grades 3-5.")
    page.get_by_label("What is struggling").fill("Release time for teachers.")
    page.get_by_label("What changes").fill("Coaching moves into common planning time.")
    page.get_by_label("English language arts (average distance from standard (points))").fill(
        "27.5"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save and submit to CCEE").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED

    # The reviewer accepts it with feedback.
    _switch(page, reviewer, admin=True)
    page.goto(reverse("admin:engagements_progressreport_change", args=[report.pk]))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Accept with feedback", exact=True).click()
    page.get_by_label("Feedback").fill("A clear start: keep the cycles going.")
    assert axe_violations(page) == []
    page.locator('input[type="submit"][value="Accept with feedback"]').or_(
        page.get_by_role("button", name="Accept with feedback", exact=True)
    ).click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED

    # The LEA sees the feedback and the measurement on the chart and in its table.
    _switch(page, lea_staff, admin=False)
    page.goto(detail)
    assert page.get_by_text("A clear start: keep the cycles going.").is_visible()
    indicator = engagement.indicators.get()
    canvas = page.locator(f"#indicator-chart-{indicator.pk}")
    canvas.wait_for()
    points = page.evaluate(
        "id => window.Chart.getChart(id).data.datasets[0].data.map(p => [p.date, p.y])",
        f"indicator-chart-{indicator.pk}",
    )
    assert points == [[report.period_end.isoformat(), 27.5]]
    assert page.locator(f"#indicator-table-{indicator.pk} .measurement-row").inner_text().split(
        "\t"
    ) == [report.period_end.isoformat(), "Measurement", "27.50"]
    assert axe_violations(page) == []
