"""LEA staff walk issue 12's site items (8–18) in Chromium, at 1440 and 390 px.

A draft is continued where it is unfinished, the live preview refuses impossible values, a
refused file keeps the rest of the save, the request is submitted, its PDF copy downloaded,
withdraw is confirmed on its own page, the verified determination and the request for
information (due date, upload box) are shown, and "Waiting on" follows the agreement. Every page
visited is scanned with axe-core (no serious or critical violation).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import ScopeOfWork
from requests_intake.models import AssistanceRequest, Attachment
from requests_intake.workflow import (
    assistance_request_approve,
    assistance_request_record_verified_facts,
    assistance_request_request_information,
    assistance_request_submit,
    assistance_request_verify,
)
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import TINY_PDF, DraftRequestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def assert_no_sideways_scroll(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_lea_staff_follow_a_request_from_draft_to_the_agreement(page, live_server, tmp_path):
    from core import roles

    member = MembershipFactory(user__full_name="Morgan Diaz").user
    lea = member.memberships.get().lea
    reviewer = UserFactory(role=roles.CCEE_REVIEWER, full_name="Riley Chen")
    draft = DraftRequestFactory(
        lea=lea, created_by=member, primary_contact_email=member.email, estimated_months=None
    )

    # 17. On a phone: the home page and My requests do not scroll sideways; Waiting on shows.
    page.set_viewport_size(PHONE)
    sign_in(page, member)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.goto("/requests/")
    assert_no_sideways_scroll(page)
    expect(page.get_by_text("You: finish and submit the draft")).to_be_visible()
    assert_accessible(page)

    # 14. Continue the draft opens the first unfinished section; the navigation shows states.
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name=f"Draft #{draft.pk}").click()
    assert_accessible(page)
    page.get_by_role("link", name="Continue the draft").click()
    expect(page).to_have_url(re.compile(rf"/requests/{draft.pk}/section/threshold/$"))
    nav = page.get_by_role("navigation", name="Sections of the request")
    expect(nav).to_contain_text("Requesting LEA and contacts complete")
    expect(nav).to_contain_text("minimum threshold has problems")
    assert_accessible(page)

    # 14/12. The preview follows typing (debounced) and shows an error for impossible values.
    months = page.get_by_label("Months needed to address the presenting need")
    preview = page.locator("#eligibility-preview")
    months.fill("500")
    expect(preview).to_contain_text("Enter at most 120 months.")
    months.fill("9")
    expect(preview).to_contain_text("Your eligibility for CCEE assistance")
    page.locator("#id_partner_county_office_since").fill("2999-01-01")
    expect(preview).to_contain_text("This date is in the future")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#error-summary")).to_contain_text("This date is in the future")
    page.locator("#id_partner_county_office_since").fill("2024-09-01")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved ccee's minimum threshold.")).to_be_visible()

    # 17. On a phone, the preview is one link away, not below the whole form.
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Go to the preview of the eligibility determination").click()
    expect(page.locator("#eligibility-preview-panel")).to_be_in_viewport()
    assert_no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)

    # 11. One refused file does not discard the section's answers nor the accepted file.
    page.goto(f"/requests/{draft.pk}/section/eligibility/")
    page.get_by_label("Why the district is at risk of state intervention").fill(
        "Dashboard red for English learners on three priorities."
    )
    letter, fake = tmp_path / "determination.pdf", tmp_path / "dashboard.pdf"
    letter.write_bytes(TINY_PDF)
    fake.write_bytes(b"plain text, not a PDF")
    page.locator("#id_evidence_g1A").set_input_files(str(letter))
    page.locator("#id_evidence_h").set_input_files(str(fake))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#error-summary")).to_contain_text("dashboard.pdf is not a PDF")
    expect(page.get_by_role("link", name="determination.pdf")).to_be_visible()
    expect(page.get_by_label("Why the district is at risk of state intervention")).to_have_value(
        "Dashboard red for English learners on three priorities."
    )
    assert_accessible(page)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["determination.pdf"]

    # 12. A preferred start in the past stops the submission, next to its field.
    page.goto(f"/requests/{draft.pk}/section/need/")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Preferred start date").fill(yesterday.isoformat())
    page.get_by_role("button", name="Save draft").click()
    page.goto(f"/requests/{draft.pk}/section/review/")
    expect(page.get_by_text("The preferred start date is in the past")).to_be_visible()
    page.goto(f"/requests/{draft.pk}/section/need/")
    page.get_by_label("Preferred start date").fill((yesterday + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save draft").click()
    page.goto(f"/requests/{draft.pk}/section/review/")
    page.get_by_label(re.compile("I attest")).check()
    page.get_by_label("Your full name").fill("Morgan Diaz")
    page.get_by_role("button", name="Submit the request").click()
    expect(page.get_by_role("heading", name=re.compile("Request received"))).to_be_visible()
    req = AssistanceRequest.objects.get(pk=draft.pk)

    # 16. The PDF copy is downloadable from the request page.
    page.get_by_role("link", name="See the request").click()
    pdf = page.request.get(f"/requests/{req.pk}/copy.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    expect(page.get_by_role("link", name="Download the request as sent (PDF)")).to_be_visible()
    # 15. A submitted request no longer says "Initial verification due" once verified (below).
    expect(page.get_by_text("Initial verification due", exact=True)).to_be_visible()
    assert_accessible(page)

    # 9. Withdraw is confirmed on its own page, with the consequences; keeping it changes nothing.
    page.get_by_role("link", name="Withdraw the request…").click()
    expect(page.get_by_text("The request is closed for good")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Keep the request").click()
    assert AssistanceRequest.objects.get(pk=req.pk).status == "submitted"

    # 8 and 13. Verification makes the LEA pay; CCEE asks for evidence by a date.
    facts = req.eligibility_facts()
    facts.update(
        coe_superintendent_determined_necessary=False,
        coe_technical_assistance_provided=False,
        geographic_lead_agrees=False,
        agrees_to_reimburse=True,
    )
    req = assistance_request_verify(assistance_request=req, by=reviewer)
    req = assistance_request_record_verified_facts(assistance_request=req, by=reviewer, facts=facts)
    due = timezone.localdate() + timedelta(days=5)
    req = assistance_request_request_information(
        assistance_request=req,
        by=reviewer,
        message="Attach the board's agreement to reimburse CCEE.",
        sections=["eligibility"],
        respond_by=due,
    )
    page.reload()
    expect(page.get_by_text("Who pays changed when CCEE verified the facts")).to_be_visible()
    expect(page.get_by_text(f"Answer by {due:%A, %B} {due.day}, {due.year}.")).to_be_visible()
    expect(page.get_by_text("Initial verification due", exact=True)).to_have_count(0)
    timeline = page.locator(".timeline")
    expect(timeline.get_by_text("Attach the board's agreement to reimburse CCEE.")).to_have_count(1)
    panel = page.locator("#information-request")
    expect(panel.get_by_role("link", name="Edit eligibility under ec 52074")).to_be_visible()
    board = tmp_path / "board-agreement.pdf"
    board.write_bytes(TINY_PDF)
    panel.get_by_label("What the file shows").select_option(label="Other supporting evidence")
    panel.get_by_label("The file to send", exact=True).set_input_files(str(board))
    panel.get_by_role("button", name="Attach the file").click()
    expect(page.get_by_text("Attached board-agreement.pdf")).to_be_visible()
    assert_accessible(page)

    # 10. Waiting on follows the agreement after approval, the same words in My requests.
    page.get_by_label("Your reply to CCEE").fill("The board's agreement is attached.")
    page.get_by_role("button", name="Resubmit with my reply").click()
    req = assistance_request_approve(
        assistance_request=AssistanceRequest.objects.get(pk=req.pk), by=reviewer
    )
    ScopeOfWork.objects.filter(request=req).update(status="sent_to_lea")
    page.reload()
    words = "You: sign the agreement and return it to the administrative agent"
    expect(page.locator("#waiting-on")).to_contain_text(words)
    expect(page.get_by_text("Evidence CCEE will check")).to_have_count(0)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.goto("/requests/")
    expect(page.get_by_text(words)).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_lea_staff_withdraw_a_request_after_confirming(page, live_server):
    member = MembershipFactory(user__full_name="Morgan Diaz").user
    lea = member.memberships.get().lea
    req = assistance_request_submit(
        assistance_request=DraftRequestFactory(lea=lea, created_by=member), by=member
    )

    sign_in(page, member)
    page.goto(f"/requests/{req.pk}/")
    page.get_by_role("link", name="Withdraw the request…").click()
    page.get_by_label(re.compile("Why are you withdrawing")).fill("Another provider helps us.")
    page.get_by_role("button", name="Withdraw the request").click()

    expect(page.get_by_text(f"{req} is withdrawn. CCEE has been told.")).to_be_visible()
    expect(page.locator("#waiting-on")).to_contain_text("Nobody: the request is closed")
    assert_accessible(page)
    assert AssistanceRequest.objects.get(pk=req.pk).status == "withdrawn"
