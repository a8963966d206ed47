"""The verification clock: the 24-hour reminder and the 48-hour escalation, once each."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccee_portal.celery import app
from notices.models import Notice
from requests_intake import sweep, workflow
from requests_intake.models import AssistanceRequest
from requests_intake.notice_kinds import K
from tests.factories import DraftRequestFactory, UserFactory, submitted_request

T0 = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # a Monday, 9:00 in California


def at(delta):
    return time_machine.travel(T0 + delta, tick=False)


def clock_notices(req, kind):
    return set(
        Notice.objects.filter(request=req, kind=kind).values_list("recipient_email", flat=True)
    )


@pytest.fixture
def received(db, reviewer, lead):
    with at(timedelta(0)):
        return submitted_request()


def test_nothing_is_due_before_24_hours(received):
    with at(timedelta(hours=23, minutes=59)):
        result = sweep.verification_clock_sweep()
    assert (result.reminders, result.escalations) == (0, 0)
    assert not clock_notices(received, K.VERIFICATION_REMINDER)


def test_unassigned_request_reminds_every_reviewer_and_lead_once_at_24_hours(
    received, reviewer, lead
):
    with at(timedelta(hours=24)):
        assert sweep.verification_clock_sweep().reminders == 1
    assert clock_notices(received, K.VERIFICATION_REMINDER) == {reviewer.email, lead.email}
    with at(timedelta(hours=30)):
        assert sweep.verification_clock_sweep().reminders == 0
    assert Notice.objects.filter(kind=K.VERIFICATION_REMINDER).count() == 2
    assert not clock_notices(received, K.VERIFICATION_ESCALATION)


def test_assigned_request_reminds_only_the_assignee(received, reviewer, lead):
    with at(timedelta(hours=1)):
        workflow.assistance_request_assign(assistance_request=received, by=lead, assignee=reviewer)
    with at(timedelta(hours=25)):
        sweep.verification_clock_sweep()
    assert clock_notices(received, K.VERIFICATION_REMINDER) == {reviewer.email}


def test_escalation_goes_to_the_leads_once_at_48_hours_and_the_request_is_overdue(
    received, reviewer, lead
):
    other_lead = UserFactory(role="CCEE lead")
    with at(timedelta(hours=47, minutes=59)):
        assert sweep.verification_clock_sweep().escalations == 0
        assert not received.is_verification_overdue()
    with at(timedelta(hours=48)):
        assert sweep.verification_clock_sweep().escalations == 1
        received.refresh_from_db()
        assert received.is_verification_overdue()
        assert list(AssistanceRequest.objects.overdue()) == [received]
    assert clock_notices(received, K.VERIFICATION_ESCALATION) == {lead.email, other_lead.email}
    with at(timedelta(hours=72)):
        assert sweep.verification_clock_sweep().escalations == 0
    assert Notice.objects.filter(kind=K.VERIFICATION_ESCALATION).count() == 2
    # The reminder went out too (once), to the reviewers and leads: nobody was assigned.
    assert clock_notices(received, K.VERIFICATION_REMINDER) == {
        reviewer.email,
        lead.email,
        other_lead.email,
    }
    assert reviewer.email not in clock_notices(received, K.VERIFICATION_ESCALATION)


def test_escalation_names_the_missed_deadline(received, lead):
    with at(timedelta(hours=49)):
        sweep.verification_clock_sweep()
    notice = Notice.objects.get(kind=K.VERIFICATION_ESCALATION, recipient_email=lead.email)
    assert received.reference in notice.subject
    assert "not verified within 48 hours" in notice.body_text
    assert "/admin/requests_intake/assistancerequest/" in notice.body_text


def test_a_request_verified_in_time_gets_neither_reminder_nor_escalation(received, reviewer):
    with at(timedelta(hours=20)):
        workflow.assistance_request_verify(assistance_request=received, by=reviewer)
    for hours in (24, 48, 96):
        with at(timedelta(hours=hours)):
            result = sweep.verification_clock_sweep()
        assert (result.reminders, result.escalations) == (0, 0)
    assert not clock_notices(received, K.VERIFICATION_REMINDER)
    assert not clock_notices(received, K.VERIFICATION_ESCALATION)


def test_a_request_verified_after_the_reminder_gets_no_escalation(received, reviewer):
    with at(timedelta(hours=26)):
        sweep.verification_clock_sweep()
        workflow.assistance_request_verify(assistance_request=received, by=reviewer)
    with at(timedelta(hours=50)):
        assert sweep.verification_clock_sweep().escalations == 0
    assert clock_notices(received, K.VERIFICATION_REMINDER)
    assert not clock_notices(received, K.VERIFICATION_ESCALATION)


def test_running_the_sweep_twice_creates_nothing_new(received):
    with at(timedelta(hours=50)):
        first = sweep.verification_clock_sweep()
        count = Notice.objects.count()
        second = sweep.verification_clock_sweep()
    assert (first.reminders, first.escalations) == (1, 1)
    assert (second.reminders, second.escalations) == (0, 0)
    assert Notice.objects.count() == count


def test_withdrawn_and_draft_requests_are_never_reminded(db, reviewer, lead):
    with at(timedelta(0)):
        DraftRequestFactory()
        withdrawn = submitted_request()
        workflow.assistance_request_withdraw(
            assistance_request=withdrawn, by=withdrawn.created_by, reason="Merged."
        )
    with at(timedelta(hours=60)):
        result = sweep.verification_clock_sweep()
    assert (result.reminders, result.escalations) == (0, 0)
    assert not Notice.objects.filter(
        kind__in=[K.VERIFICATION_REMINDER, K.VERIFICATION_ESCALATION]
    ).exists()


def sweep_queries(n_requests):
    with at(timedelta(0)):
        for _ in range(n_requests):
            submitted_request()
    Notice.objects.update(status=Notice.Status.SENT)
    with at(timedelta(hours=50)), CaptureQueriesContext(connection) as ctx:
        result = sweep.verification_clock_sweep()
    assert result.reminders == result.escalations == n_requests
    return len(ctx.captured_queries)


def test_sweep_runs_a_fixed_number_of_queries_whatever_the_number_of_requests(
    db, reviewer, lead, django_assert_max_num_queries
):
    few = sweep_queries(2)
    AssistanceRequest.objects.update(status=AssistanceRequest.Status.VERIFIED)
    many = sweep_queries(12)
    assert few == many
    # With nothing due and nothing stuck, a run is a handful of reads (the last: the county
    # confirmation links due a reminder).
    Notice.objects.update(status=Notice.Status.SENT)
    with at(timedelta(hours=51)), django_assert_max_num_queries(6):
        sweep.verification_clock_sweep()


def test_beat_runs_the_sweep_task_every_few_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["verification-clock"]
    app.loader.import_default_modules()  # what a worker and beat import when they start
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 300
    assert app.conf.task_time_limit < app.conf.broker_transport_options["visibility_timeout"]
