"""Assigning providers to work and ending assignments: permissions, capacity, history, notices,
and the agreement naming the provider."""

import io

import pypdf
import pytest
from docx import Document

from contracts import documents
from core.pdf import render_pdf
from notices.models import Notice
from providers.assignments import AssignmentRefused, provider_assign, provider_unassign
from providers.matching_models import AssignmentChange
from providers.models import Provider, ProviderAssignment
from tests.engagements.flow import executed_engagement
from tests.factories import approved_request

from .matching_helpers import add_member, declare_conflict, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def sow(lea, lea_staff, reviewer):
    return approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff).scope_of_work


def load_of(provider):
    return Provider.objects.with_load().get(pk=provider.pk).active_engagements


def test_a_reviewer_assigns_a_provider_with_history_and_a_notice_to_its_people(sow, reviewer):
    provider = make_provider("Bay Coaching")
    member = add_member(provider, full_name="Pat Provider")
    assignment = provider_assign(
        provider=provider, by=reviewer, scope_of_work=sow, role="Lead coach", days_committed=12
    )
    assert assignment.scope_of_work == sow and assignment.engagement is None
    assert (assignment.role, assignment.days_committed, assignment.assigned_by) == (
        "Lead coach",
        12,
        reviewer,
    )
    (change,) = AssignmentChange.objects.filter(assignment=assignment)
    assert change.action == "assigned" and change.by == reviewer
    notices = Notice.objects.filter(kind="provider_assigned")
    assert {n.recipient_email for n in notices} == {member.email.lower(), provider.contact_email}
    body = notices.get(recipient=member).body_text
    assert "Bay Coaching" in body and "Lead coach" in body and "12 days" in body
    assert sow.request.lea.name in body


@pytest.mark.parametrize("persona", ["lea_staff", "agent"])
def test_only_reviewers_may_assign_and_nothing_changes_otherwise(request, sow, persona):
    provider = make_provider()
    with pytest.raises(AssignmentRefused, match="may not assign"):
        provider_assign(provider=provider, by=request.getfixturevalue(persona), scope_of_work=sow)
    assert not ProviderAssignment.objects.exists()
    assert not Notice.objects.filter(kind="provider_assigned").exists()


def test_a_lead_may_assign_too(sow, lead):
    provider_assign(provider=make_provider(), by=lead, scope_of_work=sow, days_committed=1)
    assert ProviderAssignment.objects.count() == 1


def test_capacity_counts_active_assignments_until_the_engagement_ends(
    lea, lea_staff, reviewer, agent, sow
):
    provider = make_provider(capacity=2)
    provider_assign(provider=provider, by=reviewer, scope_of_work=sow, days_committed=5)
    assert load_of(provider) == 1
    engagement = executed_engagement(lea=lea, lea_staff=lea_staff, reviewer=reviewer, agent=agent)
    second = provider_assign(
        provider=provider, by=reviewer, engagement=engagement, days_committed=5
    )
    assert second.scope_of_work == engagement.agreement
    assert load_of(provider) == 2
    with pytest.raises(AssignmentRefused, match="No capacity"):
        provider_assign(
            provider=provider,
            by=reviewer,
            scope_of_work=approved_request(reviewer=reviewer, lea=lea).scope_of_work,
        )
    # A completed (or closed) engagement no longer takes a place.
    engagement.status = "closed"
    engagement.save(update_fields=["status"])
    assert load_of(provider) == 1
    # Ending an assignment frees its place.
    provider_unassign(
        assignment=ProviderAssignment.objects.get(scope_of_work=sow), by=reviewer, reason="Moved"
    )
    assert load_of(provider) == 0


def test_execution_gives_the_engagement_to_the_scope_of_works_assignments(
    lea, lea_staff, reviewer, agent
):
    from tests.contracts.flow import advance

    req = approved_request(reviewer=reviewer, lea=lea, created_by=lea_staff)
    provider = make_provider()
    assignment = provider_assign(
        provider=provider, by=reviewer, scope_of_work=req.scope_of_work, days_committed=3
    )
    assert load_of(provider) == 1
    advance(req.scope_of_work, req.scope_of_work.Status.EXECUTED, reviewer=reviewer, agent=agent)
    assignment.refresh_from_db()
    assert assignment.engagement is not None
    assert assignment.engagement.agreement_id == req.scope_of_work.pk
    assert load_of(provider) == 1


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda lea: make_provider(status="paused", approved_at=None), "Not approved"),
        (lambda lea: make_provider(capacity=0), "No capacity"),
        (
            lambda lea: declare_conflict(make_provider(), lea, description="Spouse").provider,
            "Conflict of interest",
        ),
        (lambda lea: make_provider(kind="lea", lea=lea), "itself"),
    ],
)
def test_the_candidates_exclusions_refuse_an_assignment(sow, reviewer, lea, setup, message):
    provider = setup(lea)
    with pytest.raises(AssignmentRefused, match=message):
        provider_assign(provider=provider, by=reviewer, scope_of_work=sow)
    assert not ProviderAssignment.objects.exists()


def test_the_same_provider_is_not_assigned_twice_to_one_work(sow, reviewer):
    provider = make_provider(capacity=3)
    provider_assign(provider=provider, by=reviewer, scope_of_work=sow)
    with pytest.raises(AssignmentRefused, match="already assigned"):
        provider_assign(provider=provider, by=reviewer, scope_of_work=sow)


def test_unassigning_needs_a_reason_and_the_permission(sow, reviewer, agent):
    provider = make_provider()
    member = add_member(provider)
    assignment = provider_assign(provider=provider, by=reviewer, scope_of_work=sow)
    with pytest.raises(AssignmentRefused, match="Say why"):
        provider_unassign(assignment=assignment, by=reviewer, reason="  ")
    with pytest.raises(AssignmentRefused, match="may not end"):
        provider_unassign(assignment=assignment, by=agent, reason="No")
    assignment.refresh_from_db()
    assert assignment.ended_at is None
    provider_unassign(assignment=assignment, by=reviewer, reason="The LEA chose another coach.")
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert assignment.end_reason == "The LEA chose another coach."
    assert [c.action for c in assignment.changes.all()] == ["assigned", "unassigned"]
    notice = Notice.objects.get(kind="provider_unassigned", recipient=member)
    assert "The LEA chose another coach." in notice.body_text
    with pytest.raises(AssignmentRefused, match="ended already"):
        provider_unassign(assignment=assignment, by=reviewer, reason="Again")


def test_the_agreement_names_the_assigned_providers_in_docx_and_pdf(sow, reviewer):
    provider_assign(
        provider=make_provider("Bay Coaching"),
        by=reviewer,
        scope_of_work=sow,
        role="Lead coach",
        days_committed=12,
    )
    ended = provider_assign(provider=make_provider("Gone Partners"), by=reviewer, scope_of_work=sow)
    provider_unassign(assignment=ended, by=reviewer, reason="Withdrew")
    context = documents.agreement_context(sow)
    assert context["provider"] == "Bay Coaching (Lead coach, 12 days)"
    assert context["providers"] == [{"name": "Bay Coaching", "role": "Lead coach", "days": 12}]
    docx = documents.render_agreement(documents.default_template_bytes(), context)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "provided by Bay Coaching (Lead coach, 12 days)" in text
    assert "Gone Partners" not in text
    pdf = render_pdf("contracts/agreement_pdf.html", {"a": context})
    words = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "provided by Bay Coaching (Lead coach, 12 days)" in words


def test_an_agreement_without_assignments_keeps_the_drafts_provider(sow):
    sow.provider = "Alameda County Office of Education"
    assert documents.agreement_context(sow)["provider"] == "Alameda County Office of Education"
