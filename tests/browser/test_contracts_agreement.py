"""From approval to the LEA's download: reviewer, administrative agent and LEA in a browser."""

import re

from django.urls import reverse

from contracts.models import ScopeOfWork
from requests_intake.models import LeaMembership
from requests_intake.workflow import assistance_request_submit, assistance_request_verify
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.factories import DraftRequestFactory

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def switch_to(page, user, *, admin=True):
    page.context.clear_cookies()
    (sign_in_admin if admin else sign_in)(page, user)


def open_scope_of_work(page, sow):
    page.goto(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))


def run_transition(page, label):
    page.get_by_role("link", name=label, exact=True).click()
    page.get_by_role("button", name=label, exact=True).or_(
        page.locator(f'input[type="submit"][value="{label}"]')
    ).click()
    page.wait_for_load_state()


def test_reviewer_drafts_agent_revises_and_approves_lea_downloads(
    page, lea, lea_staff, reviewer, agent
):
    draft = DraftRequestFactory(
        lea=lea,
        created_by=lea_staff,
        coe_superintendent_determined_necessary=False,
        coe_technical_assistance_provided=False,
        geographic_lead_agrees=False,
        g1a_details="",
        agrees_to_reimburse=True,
    )
    assert LeaMembership.objects.filter(user=lea_staff, lea=lea, status="approved").exists()
    req = assistance_request_submit(assistance_request=draft, by=lea_staff)
    req = assistance_request_verify(assistance_request=req, by=reviewer)

    # The reviewer approves the request in the admin: the scope of work is drafted.
    sign_in_admin(page, reviewer)
    page.goto(reverse("admin:requests_intake_assistancerequest_change", args=[req.pk]))
    page.get_by_role("link", name="Approve…", exact=True).click()  # approval asks first
    page.locator('input[type="submit"][value="Approve"]').click()
    page.wait_for_load_state()
    sow = ScopeOfWork.objects.get(request=req)

    # They edit an activity and a cost line, then send the draft to the agent.
    open_scope_of_work(page, sow)
    page.locator("#id_activities-0-title").fill("Kick-off with the district's literacy team")
    page.locator("#id_cost_lines-0-unit_cost").fill("1250.00")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert page.get_by_text("$15,000.00").first.is_visible()  # 12 days x $1,250, computed
    run_transition(page, "Send to the agent")
    assert page.get_by_text("Done: send to the agent").is_visible()

    # The agent asks for a revision.
    switch_to(page, agent)
    open_scope_of_work(page, sow)
    page.get_by_role("link", name="Request revisions", exact=True).click()
    page.get_by_label("What needs revising").fill("Name the coach in the activities.")
    page.locator('input[type="submit"][value="Request revisions"]').click()
    page.wait_for_load_state()
    sow.refresh_from_db()
    assert sow.status == ScopeOfWork.Status.REVISIONS_REQUESTED

    # The reviewer starts version 2, names the coach, and sends it again.
    switch_to(page, reviewer)
    open_scope_of_work(page, sow)
    run_transition(page, "Start a new draft version")
    page.locator("#id_activities-1-responsible").fill("Coach: Dr. Maria Gonzalez (CCEE)")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    run_transition(page, "Send to the agent")

    # The agent approves, then sends the agreement to the LEA.
    switch_to(page, agent)
    page.goto(reverse("admin:contracts_dashboard"))
    assert page.get_by_role("heading", name="Awaiting my approval (1)").is_visible()
    page.get_by_role("link", name=req.reference).click()
    run_transition(page, "Approve")
    run_transition(page, "Send the agreement to the LEA")
    sow.refresh_from_db()
    assert (sow.status, sow.version) == (ScopeOfWork.Status.SENT_TO_LEA, 2)

    # The LEA downloads the agreement from its request page.
    switch_to(page, lea_staff, admin=False)
    page.goto(reverse("requests_intake:request_detail", args=[req.pk]))
    link = page.get_by_role(
        "link", name=re.compile(r"^Download: Agreement sent to the LEA \(.*\.docx\)")
    )
    assert link.is_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{req.reference}-agreement-v2-1.docx"
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == DOCX
    assert axe_violations(page) == []
    page.get_by_role("link", name="View the scope of work as a printable page").click()
    assert page.get_by_text("Coach: Dr. Maria Gonzalez (CCEE)").is_visible()
    assert axe_violations(page) == []
