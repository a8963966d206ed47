"""The receipt's PDF copy: made by the worker at the first delivery, once for the event.

The submission's transaction only records what the file will be; a PDF that cannot be made
never fails the submission nor loses the notice: the receipt goes out without the file, saying
where to download it (a link for a member of the LEA), and a later attempt tries again.
"""

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse

from notices import delivery
from notices.models import Notice, NoticeAttachment
from requests_intake import documents
from requests_intake.notice_kinds import K
from tests.factories import submitted_request

pytestmark = pytest.mark.django_db


def _receipts(req):
    return Notice.objects.filter(request=req, kind=K.RECEIPT).order_by("pk")


def _count_renders(monkeypatch):
    calls = []
    real = documents.render_pdf

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", counted)
    return calls


def _broken_pdf(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the PDF engine fell over")

    monkeypatch.setattr(documents, "render_pdf", broken)


def test_submission_renders_no_pdf_and_records_the_copy_to_make(monkeypatch, lea, lea_staff):
    _broken_pdf(monkeypatch)  # a PDF engine that fails cannot fail the submission

    req = submitted_request(lea=lea, created_by=lea_staff, by=lea_staff)

    assert req.reference
    rows = NoticeAttachment.objects.filter(notice__request=req)
    assert rows.count() == _receipts(req).count() == 2
    assert {(r.filename, r.maker, r.is_made) for r in rows} == {
        (f"{req.reference}.pdf", documents.RECEIPT_COPY, False)
    }
    assert len({r.group for r in rows}) == 1


def test_the_first_delivery_makes_the_copy_once_for_every_receipt_of_the_event(
    monkeypatch, lea, lea_staff
):
    req = submitted_request(lea=lea, created_by=lea_staff, by=lea_staff)
    renders = _count_renders(monkeypatch)
    first, second = _receipts(req)

    assert delivery.deliver_notice(first.pk) == delivery.Delivery.SENT
    assert delivery.deliver_notice(second.pk) == delivery.Delivery.SENT

    assert renders == ["requests_intake/request_pdf.html"]
    rows = list(NoticeAttachment.objects.filter(notice__request=req))
    assert len({r.file.name for r in rows}) == 1 and all(r.is_made for r in rows)
    one, two = (m for m in mail.outbox if m.subject.startswith("Received"))
    assert one.attachments[0][1] == two.attachments[0][1]
    assert one.attachments[0][1].startswith(b"%PDF")
    assert one.attachments[0][0] == f"{req.reference}.pdf"


def test_a_retry_after_a_refused_send_reuses_the_copy_made_by_the_first_attempt(
    monkeypatch, lea, lea_staff, settings
):
    req = submitted_request(lea=lea, created_by=lea_staff, by=lea_staff)
    receipt = _receipts(req).get(recipient_email=lea_staff.email)
    renders = _count_renders(monkeypatch)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused

    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.RETRY
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver_notice(receipt.pk, after_attempts=1) == delivery.Delivery.SENT

    assert len(renders) == 1
    (message,) = mail.outbox
    assert message.attachments[0][1].startswith(b"%PDF")


def test_a_pdf_that_cannot_be_made_sends_the_receipt_with_a_link_to_the_copy_for_a_member(
    monkeypatch, lea, lea_staff, settings
):
    req = submitted_request(lea=lea, created_by=lea_staff, by=lea_staff)
    receipt = _receipts(req).get(recipient_email=lea_staff.email)
    _broken_pdf(monkeypatch)

    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.SENT

    (message,) = mail.outbox
    assert message.attachments == []
    link = settings.SITE_URL + reverse("requests_intake:request_pdf", args=[req.pk])
    sentence = f"The PDF copy of {req.reference} could not be attached to this email"
    assert sentence in message.body and link in message.body
    html, _ = message.alternatives[0]
    assert sentence in html and link in html
    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.SENT and receipt.attempts == 1
    # The file is still to be made: the event's other receipt tries again when it is sent.
    assert not NoticeAttachment.objects.filter(notice__request=req).exclude(file="").exists()


def test_a_contact_without_access_is_told_who_can_download_the_copy(monkeypatch, lea, lea_staff):
    req = submitted_request(lea=lea, created_by=lea_staff, by=lea_staff)
    receipt = _receipts(req).get(recipient_email=req.primary_contact_email)
    _broken_pdf(monkeypatch)

    assert delivery.deliver_notice(receipt.pk) == delivery.Delivery.SENT

    (message,) = mail.outbox
    assert message.attachments == []
    assert f"an approved member of {lea.name} can download it" in message.body
    assert f"/requests/{req.pk}/" not in message.body


def test_a_database_error_while_making_the_copy_counts_no_attempt_and_reaches_the_task(
    monkeypatch, lea, lea_staff
):
    req = submitted_request(lea=lea, created_by=lea_staff, by=lea_staff)
    receipt = _receipts(req).get(recipient_email=lea_staff.email)

    def database_down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(documents, "render_pdf", database_down)

    with pytest.raises(OperationalError):
        delivery.deliver_notice(receipt.pk)

    receipt.refresh_from_db()
    assert receipt.status == Notice.Status.PENDING
    assert receipt.attempts == 0 and receipt.attempt_started_at is None
    assert not receipt.possible_duplicate and mail.outbox == []
