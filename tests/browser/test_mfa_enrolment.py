"""A reviewer with no authenticator signs in, sets one up, keeps the recovery codes, reaches
the admin; every page passes axe and loads under the Content-Security-Policy."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, UserFactory
from tests.mfa import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_enrols_an_authenticator_before_the_admin(page):
    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto("/admin/login/")
    page.locator("#id_username").fill(reviewer.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/accounts/two-step/setup/" in page.url
    assert page.locator(".mfa-qr svg").is_visible()
    assert axe_violations(page) == []
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    page.get_by_label("Code from the app").fill(totp_code(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_load_state()
    assert page.locator("#recovery-codes li").count() == 10
    assert axe_violations(page) == []
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/admin")
    assert axe_violations(page) == []
    assert violations == []
