"""The outbox: rows written with the event, delivered once on commit, retried, failed, resent."""

import smtplib

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from notices import delivery, services
from notices.models import Notice
from notices.tasks import deliver_notice_task, deliver_notices_task
from requests_intake import notices, workflow
from requests_intake.models import AssistanceRequest
from requests_intake.notice_kinds import K
from tests.factories import submitted_request


def submit_and_deliver(capture, **kwargs):
    with capture(execute=True):
        return submitted_request(**kwargs)


def test_submission_writes_a_receipt_per_lea_person_and_an_alert_per_reviewer(
    django_capture_on_commit_callbacks, reviewer, lead
):
    req = submit_and_deliver(django_capture_on_commit_callbacks)
    receipts = Notice.objects.filter(request=req, kind=K.RECEIPT)
    alerts = Notice.objects.filter(request=req, kind=K.NEW_REQUEST_ALERT)
    lea_people = {req.primary_contact_email, req.created_by.email}
    assert set(receipts.values_list("recipient_email", flat=True)) == lea_people
    assert set(alerts.values_list("recipient_email", flat=True)) == {reviewer.email, lead.email}
    assert receipts.count() == 2 and alerts.count() == 2
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*lea_people, reviewer.email, lead.email])
    sent = Notice.objects.get(request=req, kind=K.RECEIPT, recipient_email=req.created_by.email)
    assert sent.sent_at is not None and sent.attempts == 1


def test_receipt_email_has_text_and_html_bodies(db, django_capture_on_commit_callbacks):
    req = submit_and_deliver(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [req.primary_contact_email])
    assert message.subject == f"Received: your Request for Assistance {req.reference}"
    assert req.reference in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html" and req.reference in html


def test_a_second_delivery_of_a_sent_notice_sends_nothing(db, django_capture_on_commit_callbacks):
    submit_and_deliver(django_capture_on_commit_callbacks)
    notice = Notice.objects.filter(kind=K.RECEIPT).first()
    before = len(mail.outbox)
    assert deliver_notice_task.delay(notice.pk).get() == "skipped"
    assert len(mail.outbox) == before


def test_repeating_an_event_queues_nothing_new(db, reviewer):
    req = submitted_request()
    assert Notice.objects.filter(request=req, kind=K.NEW_REQUEST_ALERT).count() == 1
    again = services.queue_notices(
        kind=K.NEW_REQUEST_ALERT,
        req=req,
        recipients=notices.reviewer_recipients(req),
        event="submitted",
    )
    assert again == 0
    assert Notice.objects.filter(request=req, kind=K.NEW_REQUEST_ALERT).count() == 1


def test_groups_of_notices_are_written_in_one_read_and_one_insert_each(
    db, reviewer, lead, django_assert_num_queries
):
    req = submitted_request()
    Notice.objects.filter(request=req).delete()
    lea_people = notices.lea_recipients(req)
    staff = notices.reviewer_recipients(req)
    group = {"req": req, "event": "again", "context": {}}
    pdf = ("copy.pdf", "application/pdf", b"%PDF-1.4 copy")
    # One read of the keys there, one insert of the rows, one of their attachments (the
    # file is written to storage, not the database).
    with django_assert_num_queries(3):
        written = services.queue_notice_groups(
            [
                {**group, "kind": K.RECEIPT, "recipients": lea_people, "attachments": [pdf]},
                {**group, "kind": K.NEW_REQUEST_ALERT, "recipients": staff},
                # The same event's notice to the same person again: not written twice.
                {**group, "kind": K.NEW_REQUEST_ALERT, "recipients": staff[:1]},
            ]
        )
    assert written == len(lea_people) + len(staff)
    receipts = Notice.objects.filter(request=req, kind=K.RECEIPT)
    assert receipts.count() == len(lea_people)
    assert all([a.filename for a in r.attachments.all()] == ["copy.pdf"] for r in receipts)
    alerts = Notice.objects.filter(request=req, kind=K.NEW_REQUEST_ALERT)
    assert alerts.count() == len(staff) and not any(a.attachments.exists() for a in alerts)
    # Repeating the groups writes nothing, and attaches nothing again.
    assert (
        services.queue_notice_groups(
            [{**group, "kind": K.RECEIPT, "recipients": lea_people, "attachments": [pdf]}]
        )
        == 0
    )
    assert all(r.attachments.count() == 1 for r in receipts)


def test_the_database_refuses_a_second_row_for_the_same_event_and_recipient(db):
    req = submitted_request()
    row = Notice.objects.filter(request=req).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            key=row.key, kind=row.kind, request=req, recipient_email=row.recipient_email
        )


def test_a_broker_that_is_down_leaves_the_submission_committed_and_notices_pending(
    django_capture_on_commit_callbacks, monkeypatch, reviewer
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_notices_task, "apply_async", refuse)
    req = submit_and_deliver(django_capture_on_commit_callbacks)
    req.refresh_from_db()
    assert req.status == AssistanceRequest.Status.SUBMITTED
    pending = Notice.objects.filter(request=req)
    assert pending.count() == 3
    assert set(pending.values_list("status", flat=True)) == {Notice.Status.PENDING}
    assert set(pending.values_list("last_enqueued_at", flat=True)) == {None}
    assert mail.outbox == []


@pytest.fixture
def pending_receipt(db):
    req = submitted_request()
    return Notice.objects.filter(request=req, kind=K.RECEIPT).first()


def test_a_mail_server_error_is_recorded_and_a_retry_scheduled(pending_receipt, monkeypatch):
    def refuse(message, notes=()):
        raise smtplib.SMTPDataError(451, b"Try again later")

    monkeypatch.setattr(delivery, "send_notice_email", refuse)
    assert delivery.deliver_notice(pending_receipt.pk) == delivery.Delivery.RETRY
    pending_receipt.refresh_from_db()
    assert pending_receipt.status == Notice.Status.PENDING
    assert pending_receipt.attempts == 1
    assert "451" in pending_receipt.last_error and "Try again later" in pending_receipt.last_error
    assert pending_receipt.next_attempt_at > pending_receipt.last_enqueued_at


def test_retries_back_off_exponentially(settings):
    settings.NOTICE_RETRY_BASE_SECONDS = 60
    waits = [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)]
    assert waits == [60, 120, 240, 480]


def test_after_the_last_try_the_notice_is_failed_with_the_error(
    pending_receipt, monkeypatch, settings
):
    settings.NOTICE_MAX_ATTEMPTS = 3

    def refuse(message, notes=()):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(delivery, "send_notice_email", refuse)
    # Eager Celery, like a worker, runs each retry (here at once) instead of raising Retry.
    conf = deliver_notice_task.app.conf
    conf.task_eager_propagates = False
    try:
        assert deliver_notice_task.delay(pending_receipt.pk).get() == "failed"
    finally:
        conf.task_eager_propagates = True
    pending_receipt.refresh_from_db()
    assert pending_receipt.status == Notice.Status.FAILED
    assert pending_receipt.attempts == 3
    assert "Connection refused" in pending_receipt.last_error
    assert pending_receipt.sent_at is None


@pytest.fixture
def failed_notice(pending_receipt):
    Notice.objects.filter(pk=pending_receipt.pk).update(
        status=Notice.Status.FAILED, attempts=5, last_error="Attempt 5: SMTPDataError: 451"
    )
    return pending_receipt


def test_admin_lists_notices_with_status_recipient_reference_and_error(client, reviewer, lead):
    failed = submitted_request()
    Notice.objects.filter(request=failed, kind=K.RECEIPT).update(
        status=Notice.Status.FAILED, attempts=5, last_error="Attempt 5: SMTPDataError: 451 busy"
    )
    client.force_login(reviewer)
    response = client.get(reverse("admin:notices_notice_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert failed.reference in page
    assert failed.primary_contact_email in page
    assert "Failed" in page and "451 busy" in page
    assert "Resend the selected" not in page
    filtered = client.get(reverse("admin:notices_notice_changelist") + "?delivery=needs_attention")
    assert filtered.context["cl"].result_count == Notice.objects.filter(status="failed").count()


def test_lead_resends_a_failed_notice_and_it_is_delivered(
    client, lead, failed_notice, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notices_notice_changelist"),
            {"action": "resend", "_selected_action": [failed_notice.pk]},
            follow=True,
        )
    assert "1 notice(s) put back in the outbox" in response.content.decode()
    failed_notice.refresh_from_db()
    assert failed_notice.status == Notice.Status.SENT
    assert [m.to for m in mail.outbox] == [[failed_notice.recipient_email]]


def test_resend_leaves_a_sent_notice_alone(lead, failed_notice, django_capture_on_commit_callbacks):
    sent = Notice.objects.exclude(pk=failed_notice.pk).first()
    Notice.objects.filter(pk=sent.pk).update(status=Notice.Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        resent, left = services.notice_resend(notice_ids=[failed_notice.pk, sent.pk], by=lead)
    assert (resent, left) == (1, 1)
    assert [m.to for m in mail.outbox] == [[failed_notice.recipient_email]]


def test_reviewer_cannot_resend(client, reviewer, failed_notice):
    client.force_login(reviewer)
    client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "resend", "_selected_action": [failed_notice.pk]},
    )
    failed_notice.refresh_from_db()
    assert failed_notice.status == Notice.Status.FAILED
    with pytest.raises(PermissionError):
        services.notice_resend(notice_ids=[failed_notice.pk], by=reviewer)


def test_lea_staff_cannot_see_the_notices_admin(client, lea_staff):
    client.force_login(lea_staff)
    response = client.get(reverse("admin:notices_notice_changelist"))
    assert response.status_code == 302


def test_each_transition_notifies_the_lea_and_the_assignee(db, reviewer, lead):
    req = submitted_request()
    lea_person = req.primary_contact_email
    req = workflow.assistance_request_verify(assistance_request=req, by=reviewer)
    req = workflow.assistance_request_request_information(
        assistance_request=req, by=lead, message="Attach the county's letter."
    )
    req = workflow.assistance_request_resubmit(
        assistance_request=req, by=req.created_by, reply="Attached."
    )
    req = workflow.assistance_request_decline(assistance_request=req, by=lead, reason="Duplicate.")
    req = workflow.assistance_request_reopen(assistance_request=req, by=lead, reason="Not one.")
    req = workflow.assistance_request_approve(assistance_request=req, by=lead)
    to = {}
    for kind, email in Notice.objects.filter(request=req).values_list("kind", "recipient_email"):
        to.setdefault(kind, set()).add(email)
    assert lea_person in to[K.VERIFIED]
    for kind in (K.INFORMATION_REQUESTED, K.DECLINED, K.REOPENED, K.APPROVED):
        assert lea_person in to[kind], kind
        assert reviewer.email in to[kind], kind  # the assignee (the verifier) hears of it too
    assert to[K.RESUBMITTED] == {reviewer.email}
    info = Notice.objects.get(request=req, kind=K.INFORMATION_REQUESTED, recipient_email=lea_person)
    assert "Attach the county's letter." in info.body_text
