"""The due-date sweep: a reminder the business day before, an escalation once overdue."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts import services
from contracts.models import ScopeOfWork
from contracts.notice_kinds import K
from contracts.selectors import contracts_dashboard
from contracts.tasks import contract_sweep, contract_sweep_task
from notices.models import Notice
from tests.contracts.flow import advance
from tests.factories import ClosureFactory, UserFactory, approved_request

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status


@pytest.fixture
def friday_approval(reviewer, lea, lea_staff, agent):
    """Approved Friday Nov 20, 2026: due Tuesday Dec 1 (Thanksgiving week)."""
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 20, 10, 0)), tick=False):
        req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    assert req.scope_of_work.due_date == date(2026, 12, 1)
    return req.scope_of_work


def test_no_notice_before_the_business_day_before_the_due_date(friday_approval):
    assert contract_sweep(today=date(2026, 11, 27)) == {"reminders": 0, "escalations": 0}


def test_reminder_the_business_day_before_reaches_agents_and_the_reviewer(
    friday_approval, agent, reviewer
):
    counts = contract_sweep(today=date(2026, 11, 30))
    assert counts == {"reminders": 2, "escalations": 0}
    emails = set(
        Notice.objects.filter(kind=K.CONTRACT_DUE_REMINDER).values_list(
            "recipient_email", flat=True
        )
    )
    assert emails == {agent.email, reviewer.email}
    notice = Notice.objects.filter(kind=K.CONTRACT_DUE_REMINDER).first()
    assert "Tuesday, December 1, 2026" in notice.body_text


def test_the_sweep_is_idempotent(friday_approval):
    contract_sweep(today=date(2026, 11, 30))
    assert contract_sweep(today=date(2026, 11, 30)) == {"reminders": 0, "escalations": 0}
    assert contract_sweep(today=date(2026, 12, 1)) == {"reminders": 0, "escalations": 0}


def test_escalation_when_overdue_reaches_the_leads(friday_approval, agent, reviewer):
    lead = UserFactory(role="CCEE lead")
    counts = contract_sweep(today=date(2026, 12, 2))
    assert counts["escalations"] == 3
    emails = set(
        Notice.objects.filter(kind=K.CONTRACT_OVERDUE).values_list("recipient_email", flat=True)
    )
    assert emails == {agent.email, reviewer.email, lead.email}
    assert contract_sweep(today=date(2026, 12, 3))["escalations"] == 0


def test_an_approved_agreement_is_no_longer_chased(friday_approval, reviewer, agent):
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 25, 15, 0)), tick=False):
        advance(friday_approval, S.AGENT_APPROVED, reviewer=reviewer, agent=agent)
    assert contract_sweep(today=date(2026, 12, 2)) == {"reminders": 0, "escalations": 0}


def test_negotiation_moves_the_chase_to_the_extended_date(friday_approval, agent):
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 24, 11, 0)), tick=False):
        services.scope_of_work_record_negotiation(
            scope_of_work=friday_approval,
            by=agent,
            reason="Template language",
            extra_business_days=3,
        )
    # Due Tuesday Dec 1, extended by 3 business days: expected Friday Dec 4.
    assert contract_sweep(today=date(2026, 12, 2)) == {"reminders": 0, "escalations": 0}
    assert contract_sweep(today=date(2026, 12, 3))["reminders"] > 0
    assert contract_sweep(today=date(2026, 12, 7))["escalations"] > 0


def test_the_celery_task_runs_the_sweep(friday_approval):
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 30, 9, 0)), tick=False):
        assert contract_sweep_task.delay().get()["reminders"] == 2


def test_dashboard_median_business_days_from_approval_to_agent_approval(
    friday_approval, reviewer, agent
):
    # Approved Friday Nov 20; the agent approves Wednesday Nov 25: 3 business days.
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 25, 15, 0)), tick=False):
        advance(friday_approval, S.AGENT_APPROVED, reviewer=reviewer, agent=agent)
    board = contracts_dashboard(today=date(2026, 11, 30))
    assert board["median_days"] == 3 and board["approved_count"] == 1
    assert board["overdue"] == [] and board["awaiting"] == []


def test_dashboard_sorts_open_agreements_into_due_soon_and_overdue(friday_approval):
    soon = contracts_dashboard(today=date(2026, 11, 30))
    assert [s.pk for s in soon["due_soon"]] == [friday_approval.pk]
    assert soon["due_soon"][0].days_left == 1
    late = contracts_dashboard(today=date(2026, 12, 3))
    assert [s.pk for s in late["overdue"]] == [friday_approval.pk]
    assert late["overdue"][0].days_late == 2


def _sweep_queries(n_agreements, reviewer, lea, lea_staff) -> int:
    """Return the queries of a sweep with nothing due over `n_agreements` extended drafts."""
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 20, 10, 0)), tick=False):
        for _ in range(n_agreements):
            req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
            services.scope_of_work_record_negotiation(
                scope_of_work=req.scope_of_work,
                by=reviewer,
                reason="The district's board meets on the 10th.",
                extra_business_days=5,
            )
    with CaptureQueriesContext(connection) as ctx:
        counts = contract_sweep(today=date(2026, 11, 24))
    assert counts == {"reminders": 0, "escalations": 0}
    return len(ctx.captured_queries)


def test_the_sweep_reads_the_office_closures_once_whatever_the_number_of_agreements(
    reviewer, lea, lea_staff
):
    ClosureFactory(date=date(2026, 12, 4), name="Office closure")
    few = _sweep_queries(2, reviewer, lea, lea_staff)
    ScopeOfWork.objects.update(status=S.EXECUTED, executed_on=date(2026, 11, 20))
    many = _sweep_queries(10, reviewer, lea, lea_staff)
    assert few == many
