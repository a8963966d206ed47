"""Approval drafts a scope of work prefilled from the request and its determination."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from contracts.models import ContractChange, ScopeOfWork
from requests_intake.models import AssistanceType
from tests.factories import approved_request

pytestmark = pytest.mark.django_db


def test_approval_drafts_one_scope_of_work_prefilled_from_the_request(approved, lea):
    sow = ScopeOfWork.objects.get(request=approved)
    assert sow.status == ScopeOfWork.Status.DRAFT
    assert sow.version == 1
    assert sow.problem_of_practice == approved.problem_of_practice
    assert approved.progress_indicators in sow.indicators
    assert "EC 52074(g)(1)(A)" in sow.statutory_basis
    assert "EC 52074(h)" in sow.statutory_basis
    assert sow.systemic_review == ""
    assert sow.assistance_method == AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW
    assert sow.provider == "CCEE"
    assert lea.name in sow.background and lea.name in sow.roles
    assert sow.term_months <= 9
    assert sow.activities.count() == 5 and sow.deliverables.count() == 5
    for activity in sow.activities.all():
        assert sow.term_start <= activity.start_date <= activity.end_date <= sow.term_end
    history = ContractChange.objects.get(scope_of_work=sow)
    assert history.action == "drafted" and history.to_status == "draft"


def test_state_funded_request_has_no_cost_lines(approved):
    sow = approved.scope_of_work
    assert sow.cost_basis == "state_funded"
    assert not sow.cost_lines.exists()


def test_reimbursable_request_gets_a_reimbursement_schedule(reviewer, lea, lea_staff):
    req = approved_request(
        reviewer=reviewer,
        lea=lea,
        created_by=lea_staff,
        coe_superintendent_determined_necessary=False,
        coe_technical_assistance_provided=False,
        geographic_lead_agrees=False,
        g1a_details="",
        agrees_to_reimburse=True,
    )
    sow = req.scope_of_work
    assert sow.cost_basis == "reimbursable"
    assert "EC 52074(g)(3)" in sow.statutory_basis
    assert [line.paid_by for line in sow.cost_lines.all()] == [lea.name] * 3


def test_emergency_apportionment_adds_a_systemic_review(reviewer, lea, lea_staff):
    req = approved_request(
        reviewer=reviewer,
        lea=lea,
        created_by=lea_staff,
        emergency_apportionment=True,
        g2a_details="Emergency apportionment under EC 41320 received in 2025.",
    )
    sow = req.scope_of_work
    assert "EC 52074(g)(2)(A)" in sow.statutory_basis
    assert "systemic review" in sow.systemic_review
    assert sow.assistance_method == AssistanceType.SYSTEMIC_REVIEW
    assert sow.activities.filter(title__contains="Systemic review").exists()


def test_a_longer_estimate_is_capped_at_nine_months_with_the_reason_recorded(
    reviewer, lea, lea_staff
):
    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff, estimated_months=14)
    sow = req.scope_of_work
    assert sow.term_months == 9
    assert "14 months" in sow.term_reason


def test_due_date_is_five_state_business_days_after_approval(reviewer, lea, lea_staff):
    # Approved Friday Nov 20, 2026 -> due Tuesday Dec 1 (Thanksgiving and the day after).
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 20, 10, 0)), tick=False):
        req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    assert str(req.scope_of_work.due_date) == "2026-12-01"
