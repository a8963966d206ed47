"""The signed agreement in a browser: the agent compares versions, the LEA signs in the portal,
the agent sees the sealed copy and records execution. axe-core runs on every page visited; a
failure leaves screenshots at 1440 and 390 px (the `page` fixture's failure_screenshots)."""

from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import ScopeOfWork
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.factories import CostLineFactory, approved_request

S = ScopeOfWork.Status


def checked(page):
    assert axe_violations(page) == [], page.url


def agreement_sent_in_version_2(lea, lea_staff, reviewer, agent):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    sow = req.scope_of_work
    CostLineFactory(scope_of_work=sow, description="Coaching days", quantity=5, unit_cost="900")
    sow.cost_basis = "reimbursable"
    sow.save()
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    services.scope_of_work_request_revisions(
        scope_of_work=sow, by=agent, comments="Name the coach."
    )
    services.scope_of_work_revise(scope_of_work=sow, by=reviewer)
    activity = sow.activities.first()
    activity.responsible = "Coach: Dr. Maria Gonzalez (CCEE)"
    activity.save()
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    services.scope_of_work_approve(scope_of_work=sow, by=agent)
    services.scope_of_work_send_to_lea(scope_of_work=sow, by=agent)
    sow.refresh_from_db()
    return req, sow


def test_agent_compares_versions_lea_signs_in_the_portal_agent_executes(
    page, lea, lea_staff, reviewer, agent
):
    req, sow = agreement_sent_in_version_2(lea, lea_staff, reviewer, agent)

    def walk():
        # The agent reads what changed from version 1, from the history.
        sign_in_admin(page, agent)
        page.goto(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))
        checked(page)
        page.get_by_role("link", name="what changed from version 1").first.click()
        page.wait_for_load_state()
        assert page.locator("ins.sow-added", has_text="Dr. Maria Gonzalez").first.is_visible()
        checked(page)

        # The LEA follows the explicit steps to sign and return it.
        page.context.clear_cookies()
        sign_in(page, lea_staff)
        page.goto(reverse("requests_intake:request_detail", args=[req.pk]))
        assert page.get_by_text("Sign and return it in the portal").is_visible()
        assert page.get_by_role("link", name="Download the agreement as PDF").is_visible()
        assert page.get_by_role("link", name="Download the agreement as Word (.docx)").is_visible()
        checked(page)
        page.get_by_role("link", name="Sign and return the agreement").click()
        page.wait_for_load_state()
        checked(page)
        page.get_by_label("Your full name (your signature)").fill("Jordan Lee")
        page.get_by_label("Your title").fill("Superintendent")
        page.get_by_role("button", name="Sign the agreement").click()
        page.wait_for_load_state()
        # Consent not given: refused next to the box, the name kept.
        assert page.get_by_text("Tick the box to agree to sign electronically.").first.is_visible()
        assert page.get_by_label("Your full name (your signature)").input_value() == "Jordan Lee"
        checked(page)
        page.get_by_label(services.CONSENT_TEXT).check()
        page.get_by_role("button", name="Sign the agreement").click()
        page.wait_for_load_state()
        assert page.get_by_text("You signed the agreement.").is_visible()
        assert page.get_by_text("You returned the signed agreement").is_visible()
        checked(page)
        sow.refresh_from_db()
        assert sow.status == S.SIGNED_BY_LEA

        # The agent sees the signature, its seal, and records execution from it.
        page.context.clear_cookies()
        sign_in_admin(page, agent)
        page.goto(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))
        assert page.locator(
            ".readonly", has_text="Signed electronically by Jordan Lee"
        ).is_visible()
        assert page.get_by_text("Seal: Intact").is_visible()
        checked(page)
        page.get_by_role("link", name="Record execution", exact=True).click()
        page.wait_for_load_state()
        checked(page)
        page.get_by_label("Date executed").fill(timezone.localdate().isoformat())
        page.locator('input[type="submit"][value="Record execution"]').click()
        page.wait_for_load_state()
        sow.refresh_from_db()
        assert sow.status == S.EXECUTED
        checked(page)

        # The LEA's page says it is done.
        page.context.clear_cookies()
        sign_in(page, lea_staff)
        page.goto(reverse("requests_intake:request_detail", args=[req.pk]))
        assert page.get_by_text("Nothing more is needed from you").is_visible()
        checked(page)

    walk()
