"""Sign up with email verification, sign in, throttled failures, passwords, demo accounts."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from ccee_portal import demo
from core import roles
from requests_intake.models import LeaMembership
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup_data(lea, **overrides):
    return {
        "full_name": "Pat Morales",
        "email": "Pat.Morales@District.k12.ca.us",
        "job_title": "Director of Curriculum",
        "phone": "(559) 555-0199",
        "lea": lea.pk,
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        **overrides,
    }


def test_sign_up_creates_an_inactive_account_and_a_pending_membership(
    client, lea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), signup_data(lea))
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = get_user_model().objects.get(email="pat.morales@district.k12.ca.us")
    assert not user.is_active
    assert user.groups.filter(name=roles.LEA_STAFF).exists()
    membership = LeaMembership.objects.get(user=user)
    assert (membership.lea, membership.status) == (lea, LeaMembership.Status.PENDING)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_verification_link_activates_the_account_once(
    client, lea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), signup_data(lea))
    link = re.search(r"http://\S+/accounts/verify/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    response = client.get(path)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="pat.morales@district.k12.ca.us")
    assert user.is_active and user.email_verified_at is not None
    assert client.get(path).status_code == 400  # used links stop working


def test_sign_up_refuses_mismatched_passwords_and_keeps_the_rest(client, lea):
    response = client.post(reverse("accounts:signup"), signup_data(lea, password2="different-2026"))
    body = response.content.decode()
    assert "The two passwords differ." in body
    assert 'value="Pat Morales"' in body
    assert not get_user_model().objects.exists()


def test_sign_in_with_email_and_password(client, lea_staff):
    response = client.post(
        reverse("accounts:login"), {"username": lea_staff.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == lea_staff


def test_repeated_failed_sign_ins_are_throttled(client, lea_staff):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": lea_staff.email, "password": "wrong"})
    response = client.post(url, {"username": lea_staff.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, lea_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": lea_staff.email})
    assert len(mail.outbox) == 1
    path = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "brand-new-pass-2026", "new_password2": "brand-new-pass-2026"}
    )
    lea_staff.refresh_from_db()
    assert lea_staff.check_password("brand-new-pass-2026")


def test_password_change_needs_the_old_password(client, lea_staff):
    client.force_login(lea_staff)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-new-pass-2026",
            "new_password2": "x-new-pass-2026",
        },
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    lea_staff.refresh_from_db()
    assert lea_staff.check_password(PASSWORD)


def test_demo_accounts_are_refused_when_debug_is_off(client, settings):
    settings.DEMO_ACCOUNTS_ENABLED = False
    user = UserFactory(is_demo=True)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert "Demo accounts are turned off on this server." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_load_demo_data_is_refused_when_debug_is_off(settings):
    settings.DEMO_ACCOUNTS_ENABLED = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("load_demo_data")


def test_load_demo_data_gives_one_approved_person_per_role(settings, client):
    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())  # running it again changes nothing
    for account in demo.DEMO_ACCOUNTS:
        user = get_user_model().objects.get(email=account["email"])
        assert list(user.groups.values_list("name", flat=True)) == [account["role"]]
        assert user.is_staff == roles.ROLES[account["role"]]["staff"]
        response = client.post(
            reverse("accounts:login"),
            {"username": account["email"], "password": account["password"]},
        )
        assert response.status_code == 302, account["email"]
        client.logout()
    lea_user = get_user_model().objects.get(email="lea@demo.ccee.test")
    assert lea_user.memberships.get().status == LeaMembership.Status.APPROVED


def test_load_demo_data_submits_two_requests_once_through_the_services(settings):
    from contracts.models import ScopeOfWork
    from notices.models import Notice
    from requests_intake.models import AssistanceRequest
    from requests_intake.notice_kinds import K

    settings.DEMO_ACCOUNTS_ENABLED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    statuses = dict(AssistanceRequest.objects.values_list("reference", "status"))
    year = timezone.localtime(AssistanceRequest.objects.first().received_at).year
    # The third is the demo engagement's request (engagements.demo; tested in tests/engagements).
    assert statuses == {
        f"RFA-{year}-0001": "submitted",
        f"RFA-{year}-0002": "approved",
        f"RFA-{year}-0003": "approved",
    }
    assert ScopeOfWork.objects.filter(request__reference=f"RFA-{year}-0002").exists()
    assert Notice.objects.filter(kind=K.RECEIPT).count() == 3


def test_accounts_imports_nothing_from_the_apps_above_it():
    import ast
    from pathlib import Path

    from django.conf import settings

    above = {"requests_intake", "contracts", "ccee_portal"}
    for path in (Path(settings.BASE_DIR) / "accounts").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in above, f"{path.name} imports {name}"
