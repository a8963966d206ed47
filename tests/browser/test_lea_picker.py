"""Sign-up with the searchable LEA picker in a real browser: as-you-type results, axe clean."""

import re

import pytest
from django.contrib.auth import get_user_model

from requests_intake.models import LeaMembership, LocalEducationalAgency
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import LeaFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory(db):
    LeaFactory.create_batch(30, name="Sample Valley Elementary", city="Sampleton")
    LeaFactory(name="Clovis Unified", city="Clovis", county="Fresno")
    LeaFactory(name="Closed Clovis Charter", city="Clovis", county="Fresno", status="closed")
    return LeaFactory(
        name="Fresno Unified", city="Fresno", county="Fresno", cds_code="10621660000000"
    )


def test_sign_up_finds_the_lea_as_you_type_and_creates_a_pending_membership(page, directory):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto("/accounts/signup/")
    assert axe_violations(page) == []
    page.get_by_label("Full name").fill("Pat Morales")
    page.get_by_label("Email address").fill("pat@fresnounified.example.org")
    page.get_by_label("Title").fill("Director of Curriculum")
    page.get_by_label("Phone").fill("559 555 0199")

    search = page.get_by_label("Your local educational agency")
    search.press_sequentially("Clo", delay=40)
    results = page.locator("#lea-results")
    results.get_by_label(re.compile("Clovis Unified")).wait_for()
    assert results.get_by_text("Closed Clovis Charter").count() == 0
    assert page.get_by_role("status").inner_text().startswith("1 LEA matches")

    # Narrowed by the county, the CDS code, or the name: the results follow the words typed.
    search.fill("")
    search.press_sequentially("106216", delay=30)
    results.get_by_label(re.compile("Fresno Unified")).check()
    search.press_sequentially("x", delay=30)  # no match: the chosen LEA stays, checked
    page.get_by_text("No active LEA matches").wait_for()
    assert results.get_by_label(re.compile("Fresno Unified")).is_checked()
    assert axe_violations(page) == []

    page.locator("#id_password1").fill("a-long-passphrase-2026")
    page.get_by_label("Password again").fill("a-long-passphrase-2026")
    page.get_by_role("button", name="Create the account").click()
    page.get_by_text("Check your email").wait_for()
    assert axe_violations(page) == []
    membership = LeaMembership.objects.get(user__email="pat@fresnounified.example.org")
    assert (membership.lea, membership.status) == (directory, LeaMembership.Status.PENDING)
    # htmx under the Content-Security-Policy: nothing refused, no htmx error (the browser's
    # own favicon request, which the site does not serve, is the page fixture's business).
    assert [e for e in console_errors if not e.startswith("Failed to load resource")] == []


def test_a_bad_phone_and_no_lea_are_said_next_to_their_fields(page, directory):
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill("Pat Morales")
    page.get_by_label("Email address").fill("pat@fresnounified.example.org")
    page.get_by_label("Phone").fill("555-0199")
    page.locator("#id_password1").fill("a-long-passphrase-2026")
    page.get_by_label("Password again").fill("a-long-passphrase-2026")
    page.get_by_role("button", name="Create the account").click()
    page.get_by_text("Enter a US phone number with its area code").wait_for()
    assert page.locator("#lea_error").get_by_text("Search for your LEA above").is_visible()
    assert axe_violations(page) == []
    assert not get_user_model().objects.filter(email="pat@fresnounified.example.org").exists()


def test_a_member_invites_a_colleague_from_the_members_page(page, directory):
    member = MembershipFactory(lea=directory, user__full_name="Dana Diaz").user
    sign_in(page, member)
    page.get_by_role("link", name=re.compile("Members and invitations")).click()
    page.get_by_role("heading", name=f"Members of {directory.name}").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Your colleague's email address").fill("not-an-address")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Enter a valid email address").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Your colleague's email address").fill("sam@fresnounified.example.org")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("We emailed an invitation to sam@fresnounified.example.org").wait_for()
    assert page.get_by_text("sam@fresnounified.example.org, invited by Dana Diaz").is_visible()
    assert LocalEducationalAgency.objects.get(pk=directory.pk).invitations.count() == 1
