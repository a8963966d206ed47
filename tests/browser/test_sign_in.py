"""A person signs in through the portal's own login page in a real browser."""

import re

from tests.browser.conftest import axe_violations, sign_in
from tests.factories import PASSWORD


def test_lea_staff_signs_in_and_sees_their_lea(page, lea_staff, lea):
    sign_in(page, lea_staff)
    assert page.get_by_role("heading", name=f"Welcome, {lea_staff.get_short_name()}").is_visible()
    assert page.get_by_role("cell", name=lea.name, exact=True).is_visible()


def test_the_login_page_is_styled_by_the_collected_hashed_stylesheet(page):
    page.goto("/accounts/login/")
    sheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    assert any(
        re.search(r"/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css$", s) for s in sheets
    )
    button = page.get_by_role("button", name="Sign in")
    # Bootstrap's primary blue: the stylesheet was served, not only named.
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(13, 110, 253)"


def test_login_page_has_no_serious_accessibility_violation(page):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []


def test_wrong_password_is_told_plainly(page, lea_staff):
    sign_in(page, lea_staff, password="not-the-password")
    assert page.get_by_text("The email address or password is not right").is_visible()


def test_sign_in_ignores_the_case_of_the_address(page, lea_staff):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(lea_staff.email.upper())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name=f"Welcome, {lea_staff.get_short_name()}").is_visible()


def test_new_verification_link_page_is_accessible_and_answers_neutrally(page):
    page.goto("/accounts/verify/new/")
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_text("If an account with the address").is_visible()
    assert axe_violations(page) == []
