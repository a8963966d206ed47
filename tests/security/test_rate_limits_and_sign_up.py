"""Rate limits on sign-up, password reset and failed sign-ins; sign-up that enumerates nobody;
the bounded stash of an expired session's section."""

import pytest
from django.urls import reverse

from notices.models import Notice
from requests_intake.views import STASH_PREFIX
from tests.factories import PASSWORD, DraftRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, lea, email, ip="203.0.113.5"):
    return client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Pat Morales",
            "email": email,
            "job_title": "Director",
            "phone": "",
            "lea": lea.pk,
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
        REMOTE_ADDR=ip,
    )


def test_sign_up_with_an_address_that_has_an_account_answers_the_same_and_mails_the_owner(
    client, lea, lea_staff
):
    new = sign_up(client, lea, "someone.new@example.org")
    taken = sign_up(client, lea, lea_staff.email.upper())
    assert new.status_code == taken.status_code == 200
    for response in (new, taken):
        assert "accounts/signup_done.html" in [t.name for t in response.templates]
    assert "exists" not in taken.content.decode()
    owner_notice = Notice.objects.get(recipient_email=lea_staff.email)
    assert owner_notice.kind == "signup_address_taken"
    lea_staff.refresh_from_db()
    assert lea_staff.check_password(PASSWORD)  # nothing about the account changed


def test_sign_up_is_limited_per_address(client, lea, settings):
    settings.RATE_SIGNUP_PER_ADDRESS = "2/h"
    for ip in ("203.0.113.1", "203.0.113.2"):
        assert sign_up(client, lea, "flood@example.org", ip=ip).status_code == 200
    refused = sign_up(client, lea, "flood@example.org", ip="203.0.113.3")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert Notice.objects.filter(recipient_email="flood@example.org").count() == 1


def test_sign_up_is_limited_per_network_address(client, lea, settings):
    settings.RATE_SIGNUP_PER_IP = "2/h"
    assert sign_up(client, lea, "one@example.org").status_code == 200
    assert sign_up(client, lea, "two@example.org").status_code == 200
    refused = sign_up(client, lea, "three@example.org")
    assert refused.status_code == 429
    assert not Notice.objects.filter(recipient_email="three@example.org").exists()
    # Another network still may.
    assert sign_up(client, lea, "three@example.org", ip="198.51.100.7").status_code == 200


def test_password_reset_is_limited_per_address_and_per_network_address(client, lea_staff, settings):
    settings.RATE_PASSWORD_RESET_PER_ADDRESS = "2/h"
    settings.RATE_PASSWORD_RESET_PER_IP = "3/h"
    url = reverse("accounts:password_reset")
    for ip in ("203.0.113.1", "203.0.113.2"):
        assert client.post(url, {"email": lea_staff.email}, REMOTE_ADDR=ip).status_code == 302
    refused = client.post(url, {"email": lea_staff.email}, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert Notice.objects.filter(kind="password_reset").count() == 2
    for n in range(3):
        client.post(url, {"email": f"x{n}@example.org"}, REMOTE_ADDR="198.51.100.1")
    assert (
        client.post(url, {"email": "y@example.org"}, REMOTE_ADDR="198.51.100.1").status_code == 429
    )


def test_failed_sign_ins_are_limited_per_network_address_across_accounts(client, settings):
    settings.RATE_LOGIN_FAILURES_PER_IP = "3/h"
    people = [UserFactory() for _ in range(4)]
    url = reverse("accounts:login")
    for person in people[:3]:
        client.post(url, {"username": person.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.8")
    # The fourth account's right password is refused too: the network is past its failures.
    refused = client.post(
        url, {"username": people[3].email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.8"
    )
    assert refused.status_code == 200
    assert "Too many failed sign-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    elsewhere = client.post(
        url, {"username": people[3].email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
    )
    assert elsewhere.status_code == 302


def test_the_client_address_comes_from_the_proxy_only_when_it_is_trusted(rf, settings):
    from accounts.throttling import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.TRUST_PROXY_HEADERS = False
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_PROXY_HEADERS = True
    assert client_ip(request) == "203.0.113.9"


def test_an_anonymous_section_post_is_stashed_only_up_to_a_small_size(client, lea_staff):
    draft = DraftRequestFactory(created_by=lea_staff)
    url = reverse("requests_intake:request_section", args=[draft.pk, "need"])
    client.post(url, {"problem_of_practice": "A short answer."})
    assert client.session[STASH_PREFIX + url] == {"problem_of_practice": ["A short answer."]}

    response = client.post(url, {"problem_of_practice": "x" * 1_500_000})
    assert response.status_code == 302
    assert not [key for key in client.session.keys() if key.startswith(STASH_PREFIX)]  # noqa: SIM118
    assert len(client.session.encode(dict(client.session))) < 10_000
