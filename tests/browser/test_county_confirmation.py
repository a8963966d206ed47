"""The LEA names its county contacts, a contact confirms through the emailed link, and the
reviewer sees the verified fact with its source: in Chromium, every page scanned by axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notices.models import Notice
from requests_intake.models import AssistanceRequest, CountyConfirmation
from requests_intake.notice_kinds import CK
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.factories import DraftRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def link_in_email(email: str) -> str:
    """Return the link's path from the email the contact received (the outbox's rendered body)."""
    notice = Notice.objects.get(recipient_email=email, kind=CK.CONFIRMATION_REQUEST)
    return re.search(r"\[\[SITE_URL\]\](/requests/confirm/[^/\s]+/)", notice.body_text).group(1)


def test_the_county_contact_confirms_from_the_emailed_link_and_the_reviewer_sees_it(
    page, browser, live_server, reviewer, failure_screenshots
):
    member = MembershipFactory(user__full_name="Morgan Diaz").user
    lea = member.memberships.get().lea
    draft = DraftRequestFactory(lea=lea, created_by=member, attested_at=None, attested_by=None)

    # The LEA names the county office's and the geographic lead's contacts, and submits.
    sign_in(page, member)
    page.goto(reverse("requests_intake:request_section", args=[draft.pk, "eligibility"]))
    page.get_by_label("County office contact who can confirm the determination").fill(
        "Casey Moreno"
    )
    page.get_by_label("County office contact's email address").fill("cmoreno@coe.example.org")
    page.get_by_label("Geographic lead agency", exact=True).fill("Sample Lead County Office")
    page.get_by_label("Geographic lead agency contact who can confirm its agreement").fill(
        "Gale Ortiz"
    )
    page.get_by_label("Geographic lead agency contact's email address").fill(
        "gortiz@lead.example.org"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    page.goto(reverse("requests_intake:request_review", args=[draft.pk]))
    page.get_by_label("I attest that the information in this request is accurate").check()
    page.get_by_label("Your full name").fill("Morgan Diaz")
    page.get_by_role("button", name="Submit the request").click()
    expect(page).to_have_url(re.compile(rf"/requests/{draft.pk}/submitted/$"))
    req = AssistanceRequest.objects.get(pk=draft.pk)
    assert req.county_confirmations.count() == 2

    # The county contact opens the link from the email, with no account, and confirms.
    contact = browser.new_context(base_url=live_server.url)
    contact_page = contact.new_page()
    failure_screenshots(contact_page)
    contact_page.goto(link_in_email("cmoreno@coe.example.org"))
    expect(
        contact_page.get_by_role("heading", name=f"Confirm the county's referral of {lea.name}")
    ).to_be_visible()
    expect(contact_page.get_by_text(req.reference)).to_be_visible()
    assert_accessible(contact_page)
    contact_page.get_by_label("I confirm this is correct").check()
    contact_page.get_by_label("Note to CCEE (optional)").fill("Determined at the March meeting.")
    contact_page.get_by_role("button", name="Send my answer").click()
    expect(
        contact_page.get_by_role("heading", name="Thank you: your answer is recorded")
    ).to_be_visible()
    assert_accessible(contact_page)
    # The link works once.
    contact_page.goto(link_in_email("cmoreno@coe.example.org"))
    expect(contact_page.get_by_role("heading", name="This link has been used")).to_be_visible()
    assert_accessible(contact_page)
    contact.close()

    # The reviewer sees it awaiting the geographic lead in the list, and the verified fact.
    page.get_by_role("button", name="Sign out").click()
    sign_in_admin(page, reviewer)
    page.goto(
        reverse("admin:requests_intake_assistancerequest_changelist")
        + "?county_confirmation=awaiting"
    )
    row = page.locator("#result_list tbody tr").filter(has_text=req.reference)
    expect(row).to_contain_text("Awaiting")
    assert_accessible(page)
    row.get_by_role("link", name=req.reference).click()
    section = page.locator(
        "section",
        has=page.get_by_role(
            "heading", name="Confirmed by the county office and the geographic lead"
        ),
    )
    expect(section).to_contain_text("Yes: confirmed")
    expect(section).to_contain_text("Confirmed by Casey Moreno")
    expect(section).to_contain_text("cmoreno@coe.example.org")
    expect(section).to_contain_text("Determined at the March meeting.")
    assert_accessible(page)
    assert CountyConfirmation.objects.get(request=req, role="county_office").status == "confirmed"
