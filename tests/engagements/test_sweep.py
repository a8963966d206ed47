"""The report sweep: each reminder, overdue notice and escalation once, in fixed queries."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import roles
from engagements.notice_kinds import K
from engagements.tasks import report_sweep
from notices.models import Notice
from tests.factories import LeaFactory, UserFactory

from .bulk import bulk_engagements

pytestmark = pytest.mark.django_db
# A Wednesday with no holiday near: due dates around it are plain business days.
TODAY = date(2027, 3, 10)


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.ENGAGEMENT_REPORT_REMINDER_BUSINESS_DAYS = 5
    settings.ENGAGEMENT_REPORT_OVERDUE_BUSINESS_DAYS = 1
    settings.ENGAGEMENT_REPORT_VERY_LATE_BUSINESS_DAYS = 10


@pytest.fixture
def staff(db):
    return (
        UserFactory(role=roles.CCEE_REVIEWER, email="rev@ccee.example.org"),
        UserFactory(role=roles.CCEE_LEAD, email="lead@ccee.example.org"),
    )


def _engagements(count, due):
    lea = LeaFactory()
    creator = UserFactory(role=roles.LEA_STAFF)
    return bulk_engagements(
        count,
        lea=lea,
        created_by=creator,
        start=TODAY - timedelta(days=200),
        end=TODAY + timedelta(days=160),
        due_dates=[due],
    )


def _sweep(today):
    with (
        time_machine.travel(f"{today}T10:00:00-08:00", tick=False),
        CaptureQueriesContext(connection) as ctx,
    ):
        counts = report_sweep(today)
    return counts, len(ctx.captured_queries)


def test_each_stage_notifies_once(staff):
    (engagement,) = _engagements(1, due=date(2027, 3, 12))  # Friday, two business days ahead
    counts, _ = _sweep(TODAY)
    assert counts == {"reminders": 1, "overdue": 0, "escalations": 0}
    assert _sweep(TODAY)[0] == {"reminders": 0, "overdue": 0, "escalations": 0}
    reminders = Notice.objects.filter(kind=K.REPORT_REMINDER)
    assert sorted(reminders.values_list("recipient_email", flat=True)) == sorted(
        [f"lead{engagement.pk}@bulk.example.org", engagement.request.primary_contact_email]
    )

    counts, _ = _sweep(date(2027, 3, 15))  # Monday: one business day late
    assert counts == {"reminders": 0, "overdue": 1, "escalations": 0}
    assert "rev@ccee.example.org" in Notice.objects.filter(kind=K.REPORT_OVERDUE).values_list(
        "recipient_email", flat=True
    )
    assert _sweep(date(2027, 3, 16))[0]["overdue"] == 0

    counts, _ = _sweep(date(2027, 3, 26))  # ten business days late
    assert counts == {"reminders": 0, "overdue": 0, "escalations": 1}
    escalated = set(
        Notice.objects.filter(kind=K.REPORT_VERY_LATE).values_list("recipient_email", flat=True)
    )
    assert {"rev@ccee.example.org", "lead@ccee.example.org"} <= escalated
    assert _sweep(date(2027, 3, 29))[0]["escalations"] == 0
    assert Notice.objects.filter(kind=K.REPORT_VERY_LATE).count() == len(escalated)


def test_a_submitted_report_gets_no_reminder(staff):
    (engagement,) = _engagements(1, due=date(2027, 3, 12))
    engagement.reports.update(status="submitted")
    assert _sweep(TODAY)[0] == {"reminders": 0, "overdue": 0, "escalations": 0}


def test_the_sweep_reads_the_same_number_of_queries_for_10_and_1000_engagements(staff):
    _engagements(10, due=date(2027, 3, 8))  # overdue
    few_counts, few = _sweep(TODAY)
    assert few_counts["overdue"] == 10
    Notice.objects.all().delete()
    _engagements(990, due=date(2027, 3, 8))
    many_counts, many = _sweep(TODAY)
    assert many_counts["overdue"] == 1000
    # The outbox inserts its rows 500 at a time: 10 engagements make one batch, 1,000 make 8
    # (4 recipients each: the team member, the contact, the reviewers and the lead while
    # nobody is assigned); every other query is the same.
    assert Notice.objects.count() == 4000
    assert many - few == 8 - 1
    # Once sent, a sweep of 1,000 sends nothing and reads as few queries as one of 10.
    _, again = _sweep(TODAY)
    Notice.objects.all().delete()
    assert again <= few
