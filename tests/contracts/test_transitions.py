"""Every contract transition, and every refused one: history rows, notices, nothing changed."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from contracts.models import AgreementDocument, ContractChange, ScopeOfWork
from contracts.notice_kinds import K
from notices.models import Notice
from tests.contracts.flow import PDF, advance, checked_signed_pdf, signed_pdf
from tests.factories import CostLineFactory, UserFactory, approved_request

pytestmark = pytest.mark.django_db
S = ScopeOfWork.Status


def notices_of(kind):
    return set(Notice.objects.filter(kind=kind).values_list("recipient_email", flat=True))


def test_send_to_agent_records_history_and_notifies_every_agent(sow, reviewer, agent):
    other_agent = UserFactory(role="Administrative agent")
    sow = services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    assert sow.status == S.SENT_TO_AGENT and sow.sent_to_agent_at is not None
    change = sow.changes.last()
    assert (change.action, change.from_status, change.to_status, change.by) == (
        "send_to_agent",
        S.DRAFT,
        S.SENT_TO_AGENT,
        reviewer,
    )
    assert notices_of(K.CONTRACT_DRAFT_SENT) == {agent.email, other_agent.email}
    notice = Notice.objects.get(kind=K.CONTRACT_DRAFT_SENT, recipient_email=agent.email)
    assert f"/admin/contracts/scopeofwork/{sow.pk}/change/" in notice.body_text
    assert "awaits your review" in notice.subject


def test_request_revisions_keeps_the_comments_and_notifies_the_reviewer(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    sow = services.scope_of_work_request_revisions(
        scope_of_work=sow, by=agent, comments="Add the coach's name and a travel line."
    )
    assert sow.status == S.REVISIONS_REQUESTED
    assert sow.revision_comments == "Add the coach's name and a travel line."
    assert sow.changes.last().comments == "Add the coach's name and a travel line."
    assert notices_of(K.CONTRACT_REVISIONS_REQUESTED) == {reviewer.email}
    notice = Notice.objects.get(kind=K.CONTRACT_REVISIONS_REQUESTED)
    assert "Add the coach's name" in notice.body_text


def test_revise_returns_to_draft_as_a_new_version(sow, reviewer, agent):
    advance(sow, S.REVISIONS_REQUESTED, reviewer=reviewer, agent=agent)
    sow = services.scope_of_work_revise(scope_of_work=sow, by=reviewer)
    assert (sow.status, sow.version) == (S.DRAFT, 2)
    assert sow.changes.last().version == 2
    # The new version goes to the agent again, with its own notice.
    services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    assert (
        Notice.objects.filter(kind=K.CONTRACT_DRAFT_SENT, recipient_email=agent.email).count() == 2
    )


def test_approve_records_the_agent_and_notifies_the_reviewer(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    sow = services.scope_of_work_approve(scope_of_work=sow, by=agent, comments="Fine.")
    assert sow.status == S.AGENT_APPROVED
    assert sow.agent_approved_by == agent and sow.agent_approved_at is not None
    assert notices_of(K.CONTRACT_APPROVED) == {reviewer.email}


def test_send_to_lea_stores_the_agreement_and_notifies_the_lea(sow, approved, reviewer, agent):
    advance(sow, S.AGENT_APPROVED, reviewer=reviewer, agent=agent)
    sow = services.scope_of_work_send_to_lea(scope_of_work=sow, by=agent)
    assert sow.status == S.SENT_TO_LEA
    document, pdf = AgreementDocument.objects.filter(scope_of_work=sow).order_by("number")
    assert (document.kind, document.number, document.produced_by) == ("sent", 1, agent)
    assert document.original_name == f"{approved.reference}-agreement-v1-1.docx"
    assert document.file.read()[:2] == b"PK"
    # The same agreement is offered as PDF too.
    assert (pdf.kind, pdf.number, pdf.content_type) == ("sent", 2, "application/pdf")
    assert pdf.original_name == f"{approved.reference}-agreement-v1-2.pdf"
    assert pdf.file.read()[:5] == b"%PDF-"
    lea_emails = notices_of(K.CONTRACT_SENT_TO_LEA)
    assert approved.primary_contact_email.lower() in lea_emails
    assert approved.created_by.email in lea_emails
    notice = Notice.objects.filter(kind=K.CONTRACT_SENT_TO_LEA).first()
    assert f"/requests/{approved.pk}/" in notice.body_text  # the LEA's own page, not the admin


def test_execute_stores_the_signed_copy_and_date_and_notifies(sow, approved, reviewer, agent):
    advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    sow = services.scope_of_work_execute(
        scope_of_work=sow, by=agent, signed_copy=signed_pdf(), executed_on=date(2026, 1, 2)
    )
    assert sow.status == S.EXECUTED and sow.executed_on == date(2026, 1, 2)
    signed = AgreementDocument.objects.get(scope_of_work=sow, kind="signed")
    assert (signed.number, signed.content_type, signed.file.read()) == (3, "application/pdf", PDF)
    emails = notices_of(K.CONTRACT_EXECUTED)
    assert reviewer.email in emails and approved.primary_contact_email.lower() in emails


def test_every_status_but_executed_has_a_way_on():
    assert {s for s, targets in services.ALLOWED.items() if not targets} == {S.EXECUTED}


CASES = [
    # (transition, service kwargs, who may, who may not)
    ("send_to_agent", {}, "reviewer", "agent"),
    ("request_revisions", {"comments": "Fix."}, "agent", "reviewer"),
    ("revise", {}, "reviewer", "agent"),
    ("approve", {}, "agent", "reviewer"),
    ("send_to_lea", {}, "agent", "reviewer"),
    ("execute", {"executed_on": date(2026, 1, 2)}, "agent", "reviewer"),
    ("request_new_signature", {"comments": "Unsigned."}, "agent", "reviewer"),
]


def _snapshot(sow):
    sow.refresh_from_db()
    return (
        sow.status,
        sow.version,
        ContractChange.objects.count(),
        Notice.objects.count(),
        AgreementDocument.objects.count(),
    )


def _call(name, sow, by, kwargs):
    if name == "execute":
        kwargs = {**kwargs, "signed_copy": signed_pdf()}
    if name == "return_signed":
        kwargs = {**kwargs, "checked": checked_signed_pdf()}
    return services.LIFECYCLE.perform(name, sow, by=by, **kwargs)


@pytest.mark.parametrize(("name", "kwargs", "allowed", "refused"), CASES)
def test_the_wrong_role_is_refused_and_nothing_changes(
    name, kwargs, allowed, refused, sow, request
):
    reviewer, agent = request.getfixturevalue("reviewer"), request.getfixturevalue("agent")
    source = next(iter(services.TRANSITIONS[name].sources))
    advance(sow, source, reviewer=reviewer, agent=agent)
    before = _snapshot(sow)
    with pytest.raises(services.ContractRefused, match="Only"):
        _call(name, sow, request.getfixturevalue(refused), kwargs)
    assert _snapshot(sow) == before


@pytest.mark.parametrize(("name", "kwargs", "allowed", "refused"), CASES)
def test_an_lea_member_can_make_no_transition(name, kwargs, allowed, refused, sow, lea_staff):
    before = _snapshot(sow)
    with pytest.raises(services.ContractRefused):
        _call(name, sow, lea_staff, kwargs)
    assert _snapshot(sow) == before


@pytest.mark.parametrize(
    ("name", "source"),
    [
        (name, source)
        for name, transition in services.TRANSITIONS.items()
        for source in S.values
        if source not in transition.sources
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_and_nothing_changes(
    name, source, sow, reviewer, agent
):
    advance(sow, source, reviewer=reviewer, agent=agent)
    by = reviewer if services.TRANSITIONS[name].may(reviewer, sow) else agent
    if name == "return_signed":
        by = sow.request.created_by  # LEA staff of the agreement's LEA
    kwargs = {"comments": "Fix."} if name in ("request_revisions", "request_new_signature") else {}
    if name == "execute":
        kwargs = {"executed_on": date(2026, 1, 2)}
    before = _snapshot(sow)
    with pytest.raises(services.ContractRefused, match="cannot be"):
        _call(name, sow, by, kwargs)
    assert _snapshot(sow) == before


def test_revisions_without_comments_are_refused(sow, reviewer, agent):
    advance(sow, S.SENT_TO_AGENT, reviewer=reviewer, agent=agent)
    before = _snapshot(sow)
    with pytest.raises(services.ContractRefused, match="comments are required"):
        services.scope_of_work_request_revisions(scope_of_work=sow, by=agent, comments="  ")
    assert _snapshot(sow) == before


def test_an_incomplete_draft_is_not_sent_and_the_problems_are_named(
    reviewer, agent, lea, lea_staff
):
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
    before = _snapshot(sow)
    with pytest.raises(services.ContractRefused, match="enter the cost lines"):
        services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)
    assert _snapshot(sow) == before
    CostLineFactory(scope_of_work=sow)
    assert services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer).status == (
        S.SENT_TO_AGENT
    )


def test_a_term_over_nine_months_needs_a_reason(sow, reviewer):
    sow.term_end = sow.term_start.replace(year=sow.term_start.year + 1)
    sow.term_reason = ""
    sow.save()
    with pytest.raises(services.ContractRefused, match="more than nine"):
        services.scope_of_work_send_to_agent(scope_of_work=sow, by=reviewer)


def test_a_signed_copy_that_is_not_a_pdf_or_docx_is_refused(sow, reviewer, agent):
    advance(sow, S.SENT_TO_LEA, reviewer=reviewer, agent=agent)
    before = _snapshot(sow)
    with pytest.raises(services.ContractRefused, match=r"x.txt is not a PDF or Word \(.docx\)"):
        services.scope_of_work_execute(
            scope_of_work=sow,
            by=agent,
            signed_copy=SimpleUploadedFile("x.txt", b"signed"),
            executed_on=date(2026, 1, 2),
        )
    assert _snapshot(sow) == before


def test_negotiation_records_the_extension_without_moving_the_due_date(sow, agent):
    due = sow.due_date
    sow = services.scope_of_work_record_negotiation(
        scope_of_work=sow,
        by=agent,
        reason="The LEA's counsel reviews indemnity.",
        extra_business_days=5,
    )
    assert sow.due_date == due
    assert sow.negotiation_anticipated and sow.extension_business_days == 5
    assert sow.effective_due_date > due
    change = sow.changes.last()
    assert change.action == "negotiation_anticipated"
    assert "counsel reviews indemnity" in change.comments


def test_negotiation_without_a_reason_is_refused(sow, agent):
    with pytest.raises(services.ContractRefused, match="reason"):
        services.scope_of_work_record_negotiation(
            scope_of_work=sow, by=agent, reason="", extra_business_days=5
        )
