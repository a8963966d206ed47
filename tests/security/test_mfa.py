"""Two-step sign-in (accounts/mfa.py), through the real flow: sign-in form, then the code."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from notices.models import Notice
from tests.factories import PASSWORD, UserFactory
from tests.mfa import enrol_totp, fresh_code, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]


def sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def test_staff_without_an_authenticator_must_set_one_up_before_the_admin(client):
    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    sign_in(client, reviewer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))


def test_setting_up_an_authenticator_gives_recovery_codes_and_opens_the_admin(client):
    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    sign_in(client, reviewer)
    page = client.get(reverse("accounts:mfa_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "000000"})
    assert "This code is not right" in wrong.content.decode()
    # django-otp slows the next try after a wrong code; the person waits, the test resets it.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(reverse("accounts:mfa_setup"), {"token": totp_code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("admin:index")).status_code == 200
    reviewer.refresh_from_db()
    assert reviewer.mfa_enrolled_at is not None


def test_an_enrolled_person_passes_the_code_after_the_password(client, reviewer):
    sign_in(client, reviewer)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("accounts:mfa_verify"))
    # Setting up another authenticator is no way around the code.
    assert client.get(reverse("accounts:mfa_setup"))["Location"].startswith(
        reverse("accounts:mfa_verify")
    )
    refused = client.post(reverse("accounts:mfa_verify"), {"token": "123456"})
    assert "not right" in refused.content.decode()
    passed = client.post(
        reverse("accounts:mfa_verify"), {"token": fresh_code(reviewer), "next": "/admin/"}
    )
    assert passed["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_works_once(client):
    from accounts import mfa

    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    enrol_totp(reviewer)
    code = mfa.recovery_codes_renew(user=reviewer)[0]
    sign_in(client, reviewer)
    client.post(reverse("accounts:mfa_verify"), {"token": code})
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("accounts:logout"))
    sign_in(client, reviewer)
    again = client.post(reverse("accounts:mfa_verify"), {"token": code})
    assert "not right" in again.content.decode()


def test_lea_staff_need_no_second_factor_but_may_opt_in_and_out(client, lea_staff):
    sign_in(client, lea_staff)
    assert client.get(reverse("requests_intake:request_list")).status_code == 200
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=lea_staff, confirmed=False)
    client.post(reverse("accounts:mfa_setup"), {"token": totp_code(device)})
    client.post(reverse("accounts:logout"))
    sign_in(client, lea_staff)
    assert client.get(reverse("requests_intake:request_list")).status_code == 302
    client.post(reverse("accounts:mfa_verify"), {"token": fresh_code(lea_staff)})
    client.post(reverse("accounts:mfa_manage"), {"action": "turn_off"})
    lea_staff.refresh_from_db()
    assert lea_staff.mfa_enrolled_at is None
    assert not TOTPDevice.objects.filter(user=lea_staff).exists()


def test_staff_cannot_turn_their_second_factor_off(client, reviewer):
    sign_in(client, reviewer)
    client.post(reverse("accounts:mfa_verify"), {"token": fresh_code(reviewer)})
    client.post(reverse("accounts:mfa_manage"), {"action": "turn_off"})
    reviewer.refresh_from_db()
    assert reviewer.mfa_enrolled_at is not None


def test_a_lead_resets_a_reviewer_s_second_factor_in_the_admin_and_they_are_told(
    client, lead, reviewer
):
    sign_in(client, lead)
    client.post(reverse("accounts:mfa_verify"), {"token": fresh_code(lead)})
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_step_sign_in", "_selected_action": [reviewer.pk]},
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.mfa_enrolled_at is None
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert Notice.objects.filter(recipient_email=reviewer.email, kind="mfa_reset").exists()


def test_a_reset_ends_the_second_factor_of_the_person_s_open_sessions(client, reviewer, lead):
    from accounts import mfa

    sign_in(client, reviewer)
    client.post(reverse("accounts:mfa_verify"), {"token": fresh_code(reviewer)})
    assert client.get(reverse("admin:index")).status_code == 200
    mfa.mfa_reset(user=reviewer, by=lead)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))


def test_a_reviewer_may_not_reset_anyone_s_second_factor(client, reviewer, lead):
    sign_in(client, reviewer)
    client.post(reverse("accounts:mfa_verify"), {"token": fresh_code(reviewer)})
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_step_sign_in", "_selected_action": [lead.pk]},
    )
    lead.refresh_from_db()
    assert lead.mfa_enrolled_at is not None
