"""A coach applies to the provider registry in a real browser: a mistake is shown next to its
field, the application goes in with a new account, and once the address is confirmed the coach
signs in to the provider's page; a reviewer takes it under review and approves it in the admin.
axe-core finds nothing serious or critical on any page."""

from accounts.services import user_verify_email
from providers.models import Provider
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.factories import PASSWORD


def _fill_application(page):
    page.get_by_label("Full name").fill("Maria Lopez")
    page.get_by_label("Email address").fill("maria@coach.example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("A district success coach (an individual or a team)").check()
    page.get_by_label("Name of the provider").fill("Maria Lopez Coaching")
    page.get_by_label("Your experience building capacity in school systems").fill(
        "Twelve years as a principal, then five coaching district leading teams."
    )
    page.get_by_label("Contact email").fill("maria@coach.example.org")
    for label in ("Grades 6–8", "Fresno", "Spanish"):
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Engagements you can take on at once").fill("2")
    page.get_by_label("References: systems you helped improve, and whom CCEE may ask").fill(
        "Fresno Unified: the chief academic officer."
    )


def test_a_coach_applies_signs_in_and_a_reviewer_approves(page, reviewer):
    page.goto("/providers/apply/")
    assert axe_violations(page) == []
    _fill_application(page)
    page.get_by_role("button", name="Send the application").click()
    # No area of expertise: told next to the field, nothing saved.
    assert page.get_by_text("Choose at least one area of expertise.").is_visible()
    assert not Provider.objects.exists()
    assert axe_violations(page) == []
    page.locator("#id_password1").fill(PASSWORD)  # passwords are not kept
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("District and school leadership").check()
    page.get_by_role("button", name="Send the application").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert axe_violations(page) == []

    provider = Provider.objects.get()
    person = provider.members.get().user
    user_verify_email(user=person)
    page.context.clear_cookies()
    sign_in(page, person)
    assert page.get_by_role("heading", name="My provider").is_visible()
    assert page.get_by_text("Registry status: Applied").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Maria Lopez Coaching").click()
    assert page.get_by_role("heading", name="Maria Lopez Coaching").is_visible()
    assert axe_violations(page) == []

    page.context.clear_cookies()
    sign_in_admin(page, reviewer)
    page.goto(f"/admin/providers/provider/{provider.pk}/change/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start the review").click()
    page.get_by_role("button", name="Start the review").or_(
        page.locator('input[type="submit"][value="Start the review"]')
    ).click()
    page.get_by_role("link", name="Approve", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_label("Reason (the provider is told it)").fill("References checked.")
    page.get_by_role("button", name="Approve").or_(
        page.locator('input[type="submit"][value="Approve"]')
    ).click()
    page.wait_for_load_state()
    provider.refresh_from_db()
    assert provider.status == Provider.Status.APPROVED
