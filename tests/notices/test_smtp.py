"""The real mail path: Django's SMTP backend to a local SMTP server started by the test."""

import email
import socket
from email import policy

from notices import delivery
from notices.models import Notice
from requests_intake.notice_kinds import K
from tests.factories import submitted_request


def test_notice_arrives_over_smtp_with_headers_and_text_and_html_bodies(db, smtp_server):
    req = submitted_request(primary_contact_name="José Álvarez")
    notice = Notice.objects.get(
        request=req, kind=K.RECEIPT, recipient_email=req.primary_contact_email
    )
    assert delivery.deliver_notice(notice.pk) == delivery.Delivery.SENT

    (envelope,) = smtp_server.envelopes
    assert envelope.mail_from == "noreply@ccee-ca.org"
    assert envelope.rcpt_tos == [req.primary_contact_email]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["From"] == "CCEE Assistance Portal <noreply@ccee-ca.org>"
    assert message["To"] == req.primary_contact_email
    assert message["Subject"] == f"Received: your Request for Assistance {req.reference}"
    # The receipt carries the PDF copy of the request beside its text and HTML bodies.
    assert message.get_content_type() == "multipart/mixed"
    (copy,) = list(message.iter_attachments())
    assert copy.get_filename() == f"{req.reference}.pdf"
    assert copy.get_content().startswith(b"%PDF")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hello José Álvarez," in text
    assert req.reference in text and "within 48 hours of receipt" in text
    # The primary contact has no account: the email says how to get access, without a link
    # to a page that would refuse them.
    assert "/accounts/signup/" in text and f"/requests/{req.pk}/" not in text
    assert f"<strong>{req.reference}</strong>" in html
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.attempts == 1


def test_a_mail_server_that_is_down_leaves_the_notice_pending_with_the_error(db, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port
    req = submitted_request()
    notice = Notice.objects.filter(request=req).first()
    assert delivery.deliver_notice(notice.pk) == delivery.Delivery.RETRY
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING
    assert "ConnectionRefusedError" in notice.last_error


def test_every_delivery_of_a_notice_carries_the_same_message_id(db, smtp_server, reviewer):
    req = submitted_request()
    receipt, alert = (
        Notice.objects.get(request=req, kind=K.RECEIPT, recipient_email=req.primary_contact_email),
        Notice.objects.filter(request=req, kind=K.NEW_REQUEST_ALERT).first(),
    )
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.SENT
    # A redelivery of the same row (a worker that died before its commit) is sent again here.
    Notice.objects.filter(pk=receipt.pk).update(status=Notice.Status.PENDING)
    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.SENT
    assert delivery.deliver_notice(alert.pk) == delivery.Delivery.SENT

    first, again, other = (
        email.message_from_bytes(e.original_content, policy=policy.default)["Message-ID"]
        for e in smtp_server.envelopes
    )
    assert first == again == delivery.message_id(receipt)
    assert first.startswith("<notice.") and first.endswith("@ccee-ca.org>")
    assert other != first
