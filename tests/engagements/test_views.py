"""The engagement pages: who sees what, forms with their messages, the admin and portfolio."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from engagements import services
from engagements.models import Indicator, ProgressReport
from tests.factories import LeaFactory, UserFactory

from .bulk import bulk_engagements
from .conftest import fill_report

pytestmark = pytest.mark.django_db


def _detail(engagement):
    return reverse("engagements:detail", args=[engagement.pk])


def test_the_lea_member_sees_the_page_another_lea_gets_404(
    client, active_engagement, lea_staff, other_lea_staff, agent
):
    client.force_login(lea_staff)
    page = client.get(_detail(active_engagement))
    assert page.status_code == 200
    assert b'id="engagement-chart-data"' in page.content
    assert b"Grade 3 ELA proficiency" in page.content
    assert b'id="report-timeline"' in page.content
    for outsider in (other_lea_staff, agent):
        client.force_login(outsider)
        assert client.get(_detail(active_engagement)).status_code == 404
        report = active_engagement.reports.first()
        url = reverse("engagements:report_edit", args=[active_engagement.pk, report.number])
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(_detail(active_engagement)).status_code == 302


def test_the_indicator_form_offers_the_dashboard_list_and_checks_the_dates(
    client, engagement, lea_staff
):
    client.force_login(lea_staff)
    url = reverse("engagements:indicator_add", args=[engagement.pk])
    page = client.get(url)
    for name in ("English language arts", "Chronic absenteeism", "College/career"):
        assert name.encode() in page.content
    today = timezone.localdate()
    bad = {
        "dashboard_indicator": "math",
        "kind": "student_learning",
        "cadence": "quarterly",
        "baseline_value": "10",
        "baseline_date": today.isoformat(),
        "target_value": "10",
        "target_date": (today - timedelta(days=1)).isoformat(),
    }
    page = client.post(url, bad)
    assert page.status_code == 200
    assert b"The target date must be after the baseline date." in page.content
    assert b"The target must differ from the baseline." in page.content
    assert not engagement.indicators.exists()
    good = {**bad, "target_value": "25", "target_date": (today + timedelta(days=300)).isoformat()}
    assert client.post(url, good).status_code == 302
    indicator = engagement.indicators.get()
    assert (indicator.name, indicator.dashboard_indicator) == ("Mathematics", "math")
    assert indicator.data_source.startswith("California School Dashboard")


def test_the_report_page_saves_submits_and_refuses_a_bad_attachment(
    client, active_engagement, lea_staff
):
    client.force_login(lea_staff)
    report = active_engagement.reports.order_by("number").first()
    indicator = active_engagement.indicators.get()
    url = reverse("engagements:report_edit", args=[active_engagement.pk, report.number])
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "done": "Coaching cycles.",
        "struggling": "Substitutes.",
        "changes": "Pair coaching.",
        f"value_{indicator.pk}": "26",
        f"date_{indicator.pk}": report.period_end.isoformat(),
        **{f"state_{d.pk}": "in_progress" for d in active_engagement.agreement.deliverables.all()},
        "attachment": SimpleUploadedFile("notes.pdf", b"not a pdf at all", "application/pdf"),
        "submit": "1",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert b"is not a PDF" in page.content
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.OPEN and report.done == ""
    from tests.factories import TINY_PDF

    data["attachment"] = SimpleUploadedFile("notes.pdf", TINY_PDF, "application/pdf")
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.attachments.get().content_type == "application/pdf"
    assert report.measurements.get().value == Decimal("26")


def test_the_admin_page_shows_charts_and_buttons(client, active_engagement, reviewer, lea_staff):
    report = active_engagement.reports.order_by("number").first()
    fill_report(report, lea_staff)
    services.progress_report_submit(report=report, by=lea_staff)
    client.force_login(reviewer)
    page = client.get(reverse("admin:engagements_engagement_change", args=[active_engagement.pk]))
    assert page.status_code == 200
    assert b'id="engagement-chart-data"' in page.content
    assert b"Pause" in page.content and b"Close early" in page.content
    page = client.get(reverse("admin:engagements_progressreport_change", args=[report.pk]))
    assert b"Accept with feedback" in page.content and b"Return for changes" in page.content
    url = reverse("admin:engagements_progressreport_transition", args=[report.pk, "return"])
    page = client.post(url, {"feedback": ""})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    client.post(url, {"feedback": "Add the spring data."})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RETURNED


def test_the_agent_sees_deliverable_status_but_no_narrative(
    client, active_engagement, agent, lea_staff
):
    report = active_engagement.reports.order_by("number").first()
    fill_report(report, lea_staff)
    services.progress_report_submit(report=report, by=lea_staff)
    client.force_login(agent)
    page = client.get(reverse("admin:engagements_deliverables"))
    assert page.status_code == 200
    assert b"Coaching cycles for grade 3-5 teachers" in page.content
    assert b"In progress" in page.content
    assert b"Substitutes" not in page.content
    assert client.get(
        reverse("admin:engagements_engagement_change", args=[active_engagement.pk])
    ).status_code in (302, 403)
    assert client.get(reverse("admin:engagements_portfolio")).status_code == 403
    assert client.get(
        reverse("admin:engagements_progressreport_change", args=[report.pk])
    ).status_code in (302, 403)


def test_the_portfolio_reads_a_fixed_number_of_queries(
    client, reviewer, django_assert_max_num_queries
):
    lea, creator = LeaFactory(), UserFactory(role=roles.LEA_STAFF)
    today = timezone.localdate()
    client.force_login(reviewer)
    url = reverse("admin:engagements_portfolio")

    def load(count):
        bulk_engagements(
            count,
            lea=lea,
            created_by=creator,
            start=today - timedelta(days=200),
            end=today + timedelta(days=30),
            due_dates=[today - timedelta(days=40), today + timedelta(days=20)],
            reported=1,
        )
        with django_assert_max_num_queries(30) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        return page, len(ctx.captured_queries)

    page, few = load(5)
    assert b"(soon)" in page.content
    page, many = load(45)
    assert many == few
    assert page.content.count(b"/admin/engagements/engagement/") >= 50


def test_off_track_indicators_show_in_the_portfolio(client, active_engagement, lea_staff, reviewer):
    report = active_engagement.reports.order_by("number").first()
    indicator = active_engagement.indicators.get()
    # Far below the line from 20 to 40: off track.
    fill_report(
        report, lea_staff, value=Decimal("5"), on=indicator.baseline_date + timedelta(days=150)
    )
    services.progress_report_submit(report=report, by=lea_staff)
    client.force_login(reviewer)
    page = client.get(reverse("admin:engagements_portfolio"))
    assert b'<span class="flag-late">Grade 3 ELA proficiency</span>' in page.content
    assert Indicator.objects.count() == 1


def test_the_request_page_links_to_its_engagement(client, engagement, lea_staff):
    client.force_login(lea_staff)
    page = client.get(reverse("requests_intake:request_detail", args=[engagement.request_id]))
    assert page.status_code == 200
    assert _detail(engagement).encode() in page.content
