"""A reviewer sees, in the admin, that the state's data contradicts what an LEA attested."""

from django.urls import reverse
from playwright.sync_api import expect

from eligibility.models import AssistanceStatusRecord
from tests.browser.conftest import axe_violations, sign_in_admin
from tests.factories import submitted_request

THREE_SUBGROUPS = {"AA": [4, 5], "EL": [4, 6], "SWD": [5, 6]}


def test_the_reviewer_sees_the_contradiction_in_the_list_and_on_the_request(
    page, reviewer, lea_staff, lea
):
    for year in (2023, 2024, 2025):
        AssistanceStatusRecord.objects.create(
            cds_code=lea.cds_code, reporting_year=year, lea_name=lea.name, subgroups=THREE_SUBGROUPS
        )
    # The LEA leaves the 52072(a) box unchecked; the state's data says the district meets it.
    req = submitted_request(lea=lea, created_by=lea_staff)

    sign_in_admin(page, reviewer)
    page.goto(reverse("admin:requests_intake_assistancerequest_changelist"))
    row = page.locator("#result_list tbody tr").filter(has_text=req.reference)
    expect(row).to_contain_text("Contradicts the LEA")
    assert axe_violations(page) == []

    row.get_by_role("link", name=req.reference).click()
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Facts verified from the state's data")
    )
    expect(section.get_by_role("alert")).to_contain_text(
        "The state's data contradicts the LEA's attestation."
    )
    expect(section).to_contain_text("CDE LCFF Assistance Status 2023, 2024, 2025")
    expect(section.get_by_role("cell", name="Contradicts")).to_be_visible()
    assert axe_violations(page) == []
