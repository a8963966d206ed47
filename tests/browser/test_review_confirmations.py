"""Issue 12 in a browser: a reviewer and a lead walk their part of the flow in the admin.

Every page visited is scanned by axe-core (no serious or critical violation); a failing test
leaves screenshots at 1440 and 390 px (tests/browser/conftest.py, failure_screenshots).
"""

from datetime import date

from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import CostLine
from requests_intake import memberships, workflow
from requests_intake.models import (
    AdditionalContact,
    AssistanceRequest,
    ImprovementPartner,
    LeaMembership,
)
from tests.browser.conftest import axe_violations, sign_in_admin
from tests.factories import AttachmentFactory, MembershipFactory, submitted_request

S = AssistanceRequest.Status
CHANGELIST = "admin:requests_intake_assistancerequest_changelist"


def change_url(req):
    return reverse("admin:requests_intake_assistancerequest_change", args=[req.pk])


def no_axe_violation(page):
    found = axe_violations(page)
    assert found == [], (page.url, found)


def test_reviewer_asks_during_the_48_hours_reads_everything_notes_and_confirms_approval(
    page, reviewer, lea_staff, lea
):
    reviewer.full_name = "Riley Chen"
    reviewer.save(update_fields=["full_name"])
    req = submitted_request(
        lea=lea, created_by=lea_staff, partner_county_office_since=date(2024, 8, 1)
    )
    AdditionalContact.objects.create(
        request=req, name="Sam Ortiz", title="Principal", email="sam@example.org"
    )
    ImprovementPartner.objects.create(
        request=req, name="Reading Partners", role="Tutoring", since=date(2023, 1, 9)
    )
    AttachmentFactory(request=req, evidence_for="g1A", original_name="coe-letter.pdf")
    sign_in_admin(page, reviewer)

    # 4. The work queue: its own filters first, counties as a select.
    page.goto(reverse(CHANGELIST))
    no_axe_violation(page)
    filters = page.locator("#changelist-filter")
    expect(filters.get_by_label("Filter by county")).to_be_visible()
    filters.get_by_label("Filter by county").select_option(label=lea.county)
    page.wait_for_url("**county=*")
    expect(page.locator("#result_list").get_by_role("link", name=req.reference)).to_be_visible()
    no_axe_violation(page)
    page.locator("#result_list").get_by_role("link", name=req.reference).click()

    # 3. Everything the LEA entered, grouped as its sections; 5. labels as people write them.
    no_axe_violation(page)
    entries = page.locator(".lea-entries")
    for text in (
        "Sam Ortiz",
        "Reading Partners",
        "January 9, 2023",
        "August 1, 2024",
        "coe-letter.pdf",
    ):
        expect(entries).to_contain_text(text)
    expect(page.locator("label", has_text="LCAP goals it connects to")).to_be_visible()

    # 2. Request information from Submitted, before any "verify".
    page.get_by_role("link", name="Request information…").click()
    expect(page.get_by_text("initial verification follow-up for the 48-hour clock")).to_be_visible()
    no_axe_violation(page)
    page.get_by_label("Message to the LEA").fill(
        "Please attach the county superintendent's letter."
    )
    page.locator('input[type="submit"][value="Request information"]').click()
    expect(page.get_by_text(f"{req.reference} was sent a request for information.")).to_be_visible()
    req.refresh_from_db()
    assert req.status == S.INFORMATION_REQUESTED and req.verified_by == reviewer

    # 7. An internal note: the empty form is not a saved note; its own button saves it.
    expect(page.get_by_text("No internal note yet.")).to_be_visible()
    page.get_by_label("New internal note").fill("Called the county office; letter on its way.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Saved notes (1)")).to_be_visible()
    expect(page.get_by_text("Called the county office; letter on its way.")).to_be_visible()
    no_axe_violation(page)

    # The LEA answers (its pages have their own tests); 1. approval asks first.
    workflow.assistance_request_resubmit(assistance_request=req, by=lea_staff, reply="Attached.")
    page.reload()
    page.get_by_role("link", name="Approve…").click()
    expect(page.get_by_text("Determination attested by the LEA")).to_be_visible()
    expect(page.get_by_text("No facts were verified")).to_be_visible()
    no_axe_violation(page)
    req.refresh_from_db()
    assert req.status == S.UNDER_REVIEW  # nothing happened on opening the page
    page.locator('input[type="submit"][value="Approve"]').click()
    expect(page.get_by_text(f"{req.reference} was approved.")).to_be_visible()

    # 5. The history in words.
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_text("Riley Chen approved")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Deleted user")
    no_axe_violation(page)

    # 22. A negative cost line is refused next to its field.
    sow = req.scope_of_work
    CostLine.objects.get_or_create(
        scope_of_work=sow, order=1, defaults={"description": "Coaching", "unit_cost": 100}
    )
    page.goto(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))
    page.locator("#id_cost_lines-0-unit_cost").fill("-100")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("Enter zero or more: a cost line cannot be negative.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("costline_not_negative")
    no_axe_violation(page)


def test_lead_confirms_a_bulk_approval_declines_with_warnings_and_reads_membership_history(
    page, lead, reviewer, lea_staff, lea
):
    lead.full_name = "Morgan Ortiz"
    lead.save(update_fields=["full_name"])
    first, second = (
        workflow.assistance_request_verify(
            assistance_request=submitted_request(lea=lea, created_by=lea_staff), by=reviewer
        )
        for _ in range(2)
    )
    sign_in_admin(page, lead)

    # 1. Bulk approve lists each request with its determination before anything happens.
    page.goto(reverse(CHANGELIST))
    for req in (first, second):
        page.locator(f'input[name="_selected_action"][value="{req.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Determination attested by the LEA")).to_have_count(2)
    no_axe_violation(page)
    assert set(AssistanceRequest.objects.values_list("status", flat=True)) == {S.VERIFIED}
    page.locator('input[type="submit"][value="Approve all 2"]').click()
    expect(page.get_by_text("2 approved")).to_be_visible()

    # 1. Decline warns when verified facts fail the threshold and change who pays.
    third = workflow.assistance_request_verify(
        assistance_request=submitted_request(lea=lea, created_by=lea_staff), by=reviewer
    )
    facts = {
        **third.eligibility_facts(),
        "coe_superintendent_determined_necessary": False,
        "agrees_to_reimburse": True,
        "estimated_months": 24,
    }
    workflow.assistance_request_record_verified_facts(
        assistance_request=third, by=reviewer, facts=facts
    )
    page.goto(change_url(third))
    page.get_by_role("link", name="Decline…").click()
    expect(page.get_by_text("Verification changes who pays")).to_be_visible()
    expect(page.locator(".transition-warnings")).to_contain_text(
        "does not meet CCEE's minimum threshold"
    )
    no_axe_violation(page)
    page.get_by_label("Reason for declining").fill("Outside (g); reimbursement not budgeted.")
    page.locator('input[type="submit"][value="Decline"]').click()
    expect(page.get_by_text(f"{third.reference} was declined.")).to_be_visible()

    # 5. A membership's history says who decided, in words and Pacific time.
    pending = MembershipFactory(lea=lea, status=LeaMembership.Status.PENDING)
    memberships.LIFECYCLE.perform("approve", pending, by=lead)
    page.goto(reverse("admin:requests_intake_leamembership_change", args=[pending.pk]))
    expect(page.get_by_text("Morgan Ortiz approved the membership")).to_be_visible()
    no_axe_violation(page)
