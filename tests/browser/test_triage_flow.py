"""A reviewer triages a new request in the admin while the LEA follows it on its request page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from requests_intake import workflow
from requests_intake.models import AssistanceRequest
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.factories import submitted_request

S = AssistanceRequest.Status


@pytest.fixture
def lea_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def status_on_lea_page(lea_page, req):
    lea_page.goto(reverse("requests_intake:request_detail", args=[req.pk]))
    return lea_page.locator("body").inner_text()


def test_reviewer_verifies_requests_information_and_approves_while_the_lea_sees_each_step(
    page, lea_page, reviewer, lea_staff, lea
):
    req = submitted_request(lea=lea, created_by=lea_staff)
    sign_in(lea_page, lea_staff)
    assert "Submitted" in status_on_lea_page(lea_page, req)

    sign_in_admin(page, reviewer)
    page.goto(reverse("admin:requests_intake_assistancerequest_changelist"))
    first_row = page.locator("#result_list tbody tr").first
    assert req.reference in first_row.inner_text()
    assert "left" in first_row.inner_text()  # the 48-hour clock, in words
    first_row.get_by_role("link", name=req.reference).click()

    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text(f"{req.reference} was verified.")).to_be_visible()
    assert "Verified" in status_on_lea_page(lea_page, req)

    page.get_by_role("link", name="Request information…").click()
    page.get_by_label("Message to the LEA").fill(
        "Please attach the county superintendent's letter."
    )
    page.get_by_role("button", name="Request information").click()
    expect(page.get_by_text(f"{req.reference} was sent a request for information.")).to_be_visible()
    assert "Information requested" in status_on_lea_page(lea_page, req)

    # The LEA answers (through the resubmit service: the intake pages have their own tests).
    workflow.assistance_request_resubmit(
        assistance_request=req, by=lea_staff, reply="The letter is attached."
    )
    page.reload()
    expect(page.get_by_text("The letter is attached.")).to_be_visible()  # on the timeline
    page.get_by_role("link", name="Approve…").click()  # approval asks first, on its own page
    page.locator('input[type="submit"][value="Approve"]').click()
    expect(page.get_by_text(f"{req.reference} was approved.")).to_be_visible()
    assert "Approved" in status_on_lea_page(lea_page, req)
    req.refresh_from_db()
    assert req.status == S.APPROVED


def test_triage_pages_have_no_serious_accessibility_violation(page, reviewer, lea_staff, lea):
    req = submitted_request(lea=lea, created_by=lea_staff)
    sign_in_admin(page, reviewer)
    for url in (
        reverse("admin:requests_intake_assistancerequest_changelist"),
        reverse("admin:requests_intake_assistancerequest_change", args=[req.pk]),
        reverse("admin:requests_intake_assistancerequest_dashboard"),
        reverse("admin:requests_intake_assistancerequest_transition", args=[req.pk, "decline"]),
    ):
        page.goto(url)
        assert axe_violations(page) == [], url


def test_dashboard_draws_the_monthly_chart_from_static_files(
    page, live_server, reviewer, lea_staff, lea
):
    submitted_request(lea=lea, created_by=lea_staff)
    errors, outside = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    sign_in_admin(page, reviewer)
    page.goto(reverse("admin:requests_intake_assistancerequest_dashboard"))
    drawn = page.evaluate(
        "() => { const chart = Chart.getChart(document.getElementById('requests-by-month-chart'));"
        " return chart ? chart.data.datasets.map(d => d.data.reduce((a, b) => a + b, 0)) : null; }"
    )
    assert drawn is not None and sum(drawn) == 1
    assert errors == []
    assert outside == [], "the dashboard loads nothing from outside the site"
