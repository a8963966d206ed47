"""A new LEA member drafts, leaves, resumes, attaches evidence and submits a request in Chromium.

Every intake page is scanned with axe-core on the way: no serious or critical violation.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from requests_intake.models import AssistanceRequest, Attachment, School
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD, TINY_PDF, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def assert_accessible(page):
    assert axe_violations(page) == [], page.url


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_new_member_drafts_leaves_resumes_and_submits_a_request(page, live_server):
    member = MembershipFactory(
        user__full_name="Morgan Diaz", user__job_title="Director of Curriculum"
    ).user
    lea = member.memberships.get().lea
    outsider = MembershipFactory(user__full_name="Ola Outsider").user
    lincoln = School.objects.create(
        cds_code=lea.cds_code[:7] + "6011111",
        name="Lincoln Middle",
        district_cds_code=lea.cds_code,
        county=lea.county,
    )
    board_day = timezone.localdate() + timedelta(days=21)

    sign_in(page, member)
    page.get_by_role("link", name="My requests").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a new request").click()
    assert_accessible(page)
    page.get_by_label("Local educational agency").select_option(label=str(lea))
    page.get_by_role("button", name="Start the draft").click()

    # 1. Contacts: the person's own details are already the primary contact.
    expect(page.get_by_label("Primary contact's name")).to_have_value("Morgan Diaz")
    assert_accessible(page)
    page.get_by_label("Superintendent (or equivalent)").fill("Dr. Alex Rivera")
    page.get_by_label("Superintendent's email address").fill("arivera@example.org")
    page.get_by_label("Primary contact's phone number").fill("(510) 555-0100")
    first_contact = page.get_by_role("group", name="Additional contact 1")
    first_contact.get_by_label("Name").fill("Sam Ortiz")
    first_contact.get_by_label("Email address").fill("sam.ortiz@example.org")
    page.get_by_role("button", name="Add another additional contact").click()
    third_contact = page.get_by_role("group", name="Additional contact 3")
    expect(third_contact.get_by_label("Name")).to_be_focused()
    third_contact.get_by_label("Name").fill("Pat Kim")
    third_contact.get_by_label("Email address").fill("pat.kim@example.org")
    page.get_by_role("button", name="Save and continue").click()

    # 2. Eligibility, with the statute next to each box.
    expect(page.get_by_role("heading", name="2. Eligibility under EC 52074")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Read EC 52074 (g)(1)(A)").click()
    expect(page.get_by_text("following the provision of technical assistance")).to_be_visible()
    page.get_by_label("The county superintendent of schools determined that CCEE").check()
    page.get_by_label("The county office provided technical assistance first").check()
    page.get_by_label("The geographic lead agency (EC 52073) agrees").check()
    page.get_by_label("About the county superintendent's determination").fill(
        "Determined on March 3, 2026, after a year of differentiated assistance."
    )
    page.get_by_label("The LEA is at risk of qualifying for state intervention").check()
    page.get_by_label("Why the district is at risk of state intervention").fill(
        "Red on the Dashboard for two student groups in ELA and math."
    )
    page.get_by_role("button", name="Save and continue").click()

    # 3. Threshold: typing the months updates the eligibility preview without a reload.
    expect(page.get_by_role("heading", name="3. CCEE's minimum threshold")).to_be_visible()
    preview = page.locator("#eligibility-preview")
    expect(preview).to_contain_text("once section 3")
    page.get_by_label("Months needed to address the presenting need").fill("9")
    page.get_by_label("Months needed to address the presenting need").blur()
    expect(preview).to_contain_text("Referred by the county superintendent of schools")
    page.get_by_label("The county office of education is engaged as a partner").check()
    page.get_by_label("The geographic lead agency is engaged as a partner").check()
    # The threshold is said once: in the highest-priority sentence (issue 12 item 15).
    expect(preview).to_contain_text("and the request meets CCEE's minimum threshold.")
    assert_accessible(page)
    partner = page.get_by_role("group", name="Other partner 1")
    partner.get_by_label("Partner's name").fill("Bay Area Math Project")
    partner.get_by_label("What they do with you").fill("Coaching for grade 6-8 teachers")
    page.get_by_role("button", name="Save and continue").click()

    # 4. Presenting need: the type of request first; schools found by name with the search.
    expect(page.get_by_role("heading", name="4. Presenting need")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Type of request").select_option(label="Facilitated Instructional Review")
    page.get_by_label(re.compile("Search .* schools by name or CDS code")).fill("lincoln")
    page.get_by_role("button", name="Add Lincoln Middle").click()
    expect(page.get_by_label("Schools in scope")).to_have_value(
        f"{lincoln.cds_code} — Lincoln Middle"
    )
    assert_accessible(page)
    page.get_by_label("Differentiated assistance status").select_option(
        label="Eligible for differentiated assistance"
    )
    page.get_by_label("LCAP year").fill("2025-26")
    page.get_by_label("Link to the LCAP").fill("https://www.example.org/lcap")
    page.get_by_label("Problem of practice").fill("Too few grade 8 students pass Algebra I.")
    page.get_by_label("Students affected").fill("Grade 8 students at three middle schools")
    page.get_by_label("Evidence from data").fill("31% passed Algebra I in 2025.")
    page.get_by_label("LCAP goals it connects to").fill("Goal 2: college and career readiness")
    page.get_by_label("What has been tried").fill("A summer bridge program.")
    page.get_by_label("Desired outcomes").fill("More than 60% pass Algebra I.")
    page.get_by_label("How progress would be measured").fill("Quarterly common assessments.")
    page.get_by_label("Coaching").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Saved presenting need.")).to_be_visible()

    # 5. Costs and the agreement: a budget range upside down is refused next to its field.
    expect(page.get_by_role("heading", name="5. Costs and the agreement")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Expected budget, from (dollars)").fill("60000")
    page.get_by_label("Expected budget, up to (dollars)").fill("40000")
    page.get_by_label("Yes, our governing board must approve the agreement").check()
    page.get_by_label("Legal name for contracting").fill("Sample Unified School District")
    page.get_by_label("Authorised signatory's name").fill("Dr. Alex Rivera")
    page.get_by_label("Authorised signatory's title").fill("Superintendent")
    page.get_by_label("Authorised signatory's email address").fill("arivera@example.org")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("is below the lower end").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Expected budget, from (dollars)").fill("40000")
    page.get_by_label("Expected budget, up to (dollars)").fill("60000")
    page.get_by_label("Expected board meeting date").fill(board_day.isoformat())
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved costs and the agreement.")).to_be_visible()

    # Leave, come back: the draft is where it was left.
    sign_out(page)
    sign_in(page, member)
    page.get_by_role("link", name="My requests").first.click()
    req = AssistanceRequest.objects.get(lea=lea)
    page.get_by_role("link", name=f"Draft #{req.pk}").click()
    assert_accessible(page)
    # "Continue the draft" opens the first unfinished section; every one is complete: review.
    page.get_by_role("link", name="Continue the draft").click()
    expect(page).to_have_url(re.compile(rf"/requests/{req.pk}/section/review/$"))
    page.get_by_role("link", name="1. Requesting LEA and contacts").click()
    expect(page.get_by_label("Superintendent (or equivalent)")).to_have_value("Dr. Alex Rivera")
    page.get_by_role("link", name="4. Presenting need").click()
    expect(page.get_by_label("Problem of practice")).to_have_value(
        "Too few grade 8 students pass Algebra I."
    )

    # Evidence: a real PDF is kept; a text file named .pdf is refused, and the text stays.
    page.get_by_role("link", name="2. Eligibility under EC 52074").click()
    letter = "Evidence: the determination letter and the geographic lead's agreement"
    page.get_by_label(letter).set_input_files(
        files=[{"name": "determination.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}]
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("link", name="determination.pdf")).to_be_visible()
    page.get_by_label("About the county superintendent's determination").fill(
        "Determined on March 3, 2026; letter attached."
    )
    page.get_by_label("Evidence: why the district is at risk").set_input_files(
        files=[{"name": "dashboard.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}]
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert").first).to_contain_text("dashboard.pdf is not a PDF")
    expect(page.get_by_label("About the county superintendent's determination")).to_have_value(
        "Determined on March 3, 2026; letter attached."
    )
    assert_accessible(page)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["determination.pdf"]
    page.get_by_role("button", name="Save and continue").click()

    # Review and submit.
    page.get_by_role("link", name="6. Review and submit").click()
    expect(page.get_by_text("Sam Ortiz")).to_be_visible()
    expect(page.get_by_text("Pat Kim")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I attest that the information in this request is accurate").check()
    page.get_by_label("Your full name").fill("Morgan Diaz")
    page.get_by_role("button", name="Submit the request").click()

    heading = page.get_by_role("heading", name=re.compile(r"Request received: RFA-\d{4}-0001"))
    expect(heading).to_be_visible()
    expect(page.get_by_text("48 hours after receipt")).to_be_visible()
    expect(page.get_by_text(re.compile(r"(PST|PDT) \(Pacific time\)")).first).to_be_visible()
    assert_accessible(page)
    req.refresh_from_db()
    assert req.status == AssistanceRequest.Status.SUBMITTED
    assert req.attested_by == member
    assert req.school_cds_codes == [lincoln.cds_code]
    assert (req.budget_min, req.budget_max, req.board_date) == (40_000, 60_000, board_day)
    assert req.signatory_email == "arivera@example.org"

    page.get_by_role("link", name="My requests").first.click()
    row = page.get_by_role("row", name=re.compile(req.reference))
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("CCEE: initial verification due")
    page.get_by_role("link", name=req.reference).click()
    expect(page.get_by_text("Status: Submitted")).to_be_visible()
    assert_accessible(page)

    # Someone from another LEA: the request and its evidence are simply not there.
    sign_out(page)
    sign_in(page, outsider)
    attachment = Attachment.objects.get(request=req)
    assert page.goto(f"/requests/{req.pk}/").status == 404
    assert page.goto(f"/requests/{req.pk}/attachments/{attachment.pk}/").status == 404
    page.goto("/requests/")
    expect(page.get_by_text(req.reference)).to_have_count(0)


def test_a_double_click_on_submit_sends_one_submission(page, live_server):
    from tests.factories import DraftRequestFactory

    member = MembershipFactory(user__full_name="Morgan Diaz").user
    draft = DraftRequestFactory(
        lea=member.memberships.get().lea, created_by=member, attested_at=None, attested_by=None
    )
    sign_in(page, member)
    page.goto(f"/requests/{draft.pk}/section/review/")
    page.get_by_label("I attest that the information in this request is accurate").check()
    page.get_by_label("Your full name").fill("Morgan Diaz")

    page.get_by_role("button", name="Submit the request").dblclick()

    expect(page.get_by_role("heading", name=re.compile("Request received"))).to_be_visible()
    draft.refresh_from_db()
    assert draft.status_changes.count() == 1


def test_text_typed_when_the_session_ended_is_there_after_signing_in_again(page, live_server):
    from tests.factories import DraftRequestFactory

    member = MembershipFactory(user__full_name="Morgan Diaz").user
    draft = DraftRequestFactory(lea=member.memberships.get().lea, created_by=member)
    sign_in(page, member)
    page.goto(f"/requests/{draft.pk}/section/need/")
    page.get_by_label("Problem of practice").fill("Typed just before the session ran out.")
    page.context.clear_cookies(name="sessionid")  # the session ends while the person types

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("We kept what you typed before your session ended.")).to_be_visible()
    expect(page.get_by_label("Problem of practice")).to_have_value(
        "Typed just before the session ran out."
    )
    draft.refresh_from_db()
    assert draft.problem_of_practice == "Typed just before the session ran out."


def test_the_attestation_and_submit_work_from_the_keyboard_with_visible_focus(page, live_server):
    from tests.factories import DraftRequestFactory

    member = MembershipFactory(user__full_name="Morgan Diaz").user
    draft = DraftRequestFactory(
        lea=member.memberships.get().lea, created_by=member, attested_at=None, attested_by=None
    )
    sign_in(page, member)
    page.goto(f"/requests/{draft.pk}/section/review/")
    page.get_by_label("I attest that the information in this request is accurate").focus()

    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    name = page.get_by_label("Your full name")
    expect(name).to_be_focused()
    outline = name.evaluate("el => getComputedStyle(el).outlineStyle")
    page.keyboard.type("Morgan Diaz")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=re.compile("Request received"))).to_be_visible()
    assert outline == "solid"
