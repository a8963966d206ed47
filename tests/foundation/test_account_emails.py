"""Account emails are outbox rows: a mail server that is down during sign-up loses nothing.

The mail server is real (aiosmtpd on a local port); the port is closed while it is "down".
"""

import email
import re
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.notice_kinds import K
from notices import delivery, services, sweep
from notices.models import Notice
from requests_intake.models import LeaMembership
from tests.conftest import AcceptMail, free_port, use_smtp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
EMAIL = "pat.morales@district.k12.ca.us"
NEUTRAL = "If an account with the address"


def at(delta):
    return time_machine.travel(T0 + delta, tick=False)


def sign_up(client, lea):
    return client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Pat Morales",
            "email": "Pat.Morales@District.k12.ca.us",
            "job_title": "Director of Curriculum",
            "phone": "(559) 555-0199",
            "lea": lea.pk,
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )


@pytest.fixture
def mail_server():
    """A real SMTP server that is down (its port closed) until the test starts it."""

    class Server:
        port = free_port()
        handler = AcceptMail()
        controller = None

        def start(self):
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    server = Server()
    yield server
    if server.controller is not None:
        server.controller.stop()


def verification_notices():
    return Notice.objects.filter(kind=K.EMAIL_VERIFICATION, recipient_email=EMAIL).order_by("pk")


def link_in(envelope) -> str:
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"/accounts/verify/[^/\s]+/[^/\s]+/", text).group(0)


def test_a_mail_server_down_during_sign_up_keeps_the_account_and_its_notice_in_the_outbox(
    client, lea, lead, settings, mail_server, django_capture_on_commit_callbacks
):
    use_smtp(settings, mail_server.port)
    with at(timedelta(0)):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(client, lea)
        assert "Check your email" in response.content.decode()
        user = get_user_model().objects.get(email=EMAIL)
        assert not user.is_active
        assert LeaMembership.objects.get(user=user).status == LeaMembership.Status.PENDING
        (notice,) = verification_notices()
        assert notice.status != Notice.Status.SENT and notice.request_id is None
        assert "ConnectionRefusedError" in notice.last_error

    # The mail server is back: the row, not a lost email, is what gets delivered.
    mail_server.start()
    with at(timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        assert services.notice_resend(notice_ids=[notice.pk], by=lead) == (1, 0)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    (envelope,) = mail_server.handler.envelopes
    assert envelope.rcpt_tos == [EMAIL]
    with at(timedelta(hours=1, minutes=1)):
        assert client.get(link_in(envelope)).status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None


def test_a_delivery_refused_while_the_server_is_down_is_a_retry_then_delivered(
    client, lea, settings, mail_server
):
    use_smtp(settings, mail_server.port)
    with at(timedelta(0)):
        sign_up(client, lea)  # on-commit delivery not run: as if the worker had not got to it
        (notice,) = verification_notices()
        assert delivery.deliver_notice(notice.pk) == delivery.Delivery.RETRY
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING and notice.next_attempt_at is not None
    mail_server.start()
    with at(timedelta(minutes=10)):
        assert sweep.notice_sweep().reenqueued == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.attempts == 2
    assert [e.rcpt_tos for e in mail_server.handler.envelopes] == [[EMAIL]]


def test_a_person_whose_link_never_came_asks_for_a_new_one_and_confirms_with_it(
    client, lea, settings, mail_server, django_capture_on_commit_callbacks
):
    use_smtp(settings, mail_server.port)
    with at(timedelta(0)), django_capture_on_commit_callbacks(execute=True):
        sign_up(client, lea)
    mail_server.start()
    page = reverse("accounts:verification_link")
    with at(timedelta(minutes=11)):
        assert client.get(page).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(page, {"email": "PAT.Morales@district.k12.ca.us"})
        assert NEUTRAL in response.content.decode()
        (envelope,) = mail_server.handler.envelopes
        assert client.get(link_in(envelope)).status_code == 302
    assert get_user_model().objects.get(email=EMAIL).is_active
    assert [n.status for n in verification_notices()][-1] == Notice.Status.SENT


def test_new_links_are_rate_limited_per_account(client, lea, django_capture_on_commit_callbacks):
    page = reverse("accounts:verification_link")
    with at(timedelta(0)):
        sign_up(client, lea)
    with at(timedelta(minutes=5)):
        client.post(page, {"email": EMAIL})
    assert verification_notices().count() == 1  # the sign-up's link is five minutes old
    with at(timedelta(minutes=11)):
        client.post(page, {"email": EMAIL})
        client.post(page, {"email": EMAIL})
    assert verification_notices().count() == 2


@pytest.mark.parametrize("who", ["unknown", "active"])
def test_the_new_link_page_answers_the_same_and_sends_nothing_to_other_addresses(client, who):
    address = "nobody@example.org"
    if who == "active":
        address = UserFactory().email
    response = client.post(reverse("accounts:verification_link"), {"email": address})
    assert NEUTRAL in response.content.decode()
    assert not Notice.objects.filter(kind=K.EMAIL_VERIFICATION).exists()


def test_sign_in_with_the_right_password_of_an_unconfirmed_account_offers_a_new_link(client, lea):
    with at(timedelta(0)):
        sign_up(client, lea)
        response = client.post(
            reverse("accounts:login"), {"username": EMAIL, "password": "a-long-passphrase-2026"}
        )
        body = response.content.decode()
        assert "This account is not active yet" in body
        assert reverse("accounts:verification_link") in body
        wrong = client.post(reverse("accounts:login"), {"username": EMAIL, "password": "wrong"})
        assert "The email address or password is not right." in wrong.content.decode()
        assert reverse("accounts:verification_link") not in wrong.content.decode()


def test_signing_up_again_with_a_taken_address_answers_as_a_new_sign_up(client, lea):
    # No account enumeration (issue 18): the page is the same; tests/security proves the mail.
    with at(timedelta(0)):
        first = sign_up(client, lea).content.decode()
        again = sign_up(client, lea).content.decode()
    assert "exists already" not in again
    assert "Check your email" in first
    assert "Check your email" in again
    assert reverse("accounts:verification_link") in again


def test_the_signup_done_page_links_to_the_new_link_page(client, lea):
    with at(timedelta(0)):
        body = sign_up(client, lea).content.decode()
    assert reverse("accounts:verification_link") in body


def test_password_reset_email_is_an_outbox_row_whose_body_the_admin_does_not_show(
    client, lea_staff, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": lea_staff.email})
    notice = Notice.objects.get(kind=K.PASSWORD_RESET, recipient_email=lea_staff.email)
    assert notice.status == Notice.Status.SENT and "/accounts/password/reset/" in notice.body_text
    client.force_login(lead)
    page = client.get(reverse("admin:notices_notice_change", args=[notice.pk])).content.decode()
    assert "Not shown: it holds the person" in page
    assert "/accounts/password/reset/" not in page


def test_sign_in_matches_the_address_whatever_its_case(client, lea_staff):
    assert "case-sensitive" not in client.get(reverse("accounts:login")).content.decode()
    response = client.post(
        reverse("accounts:login"), {"username": lea_staff.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == lea_staff


def test_failed_sign_ins_in_any_case_count_against_one_account(client, lea_staff):
    url = reverse("accounts:login")
    spellings = [lea_staff.email.upper(), lea_staff.email.title(), lea_staff.email]
    for attempt in range(5):
        client.post(url, {"username": spellings[attempt % 3], "password": "wrong"})
    response = client.post(url, {"username": lea_staff.email.upper(), "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
