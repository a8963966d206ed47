"""Writes of the contracts app: drafting on approval, one service per transition, documents.

Each transition locks the scope-of-work row, checks the person's permission and the source
state, writes the change and its ContractChange row, and queues the outbox notices, all in one
transaction. A refused transition raises ContractRefused saying why, and changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core import lifecycle, roles
from core.decisions import ALLOW, Decision, deny
from eligibility import rules
from requests_intake import notices
from requests_intake.models import AssistanceRequest, AssistanceType

from . import documents
from .calendar import add_business_days, agreement_due_date, local_date
from .models import (
    MAX_TERM_MONTHS,
    Activity,
    AgreementDocument,
    AgreementTemplate,
    ContractChange,
    CostLine,
    Deliverable,
    ScopeOfWork,
)
from .notice_kinds import K

S = ScopeOfWork.Status
MAX_SIGNED_COPY_BYTES = 20 * 1024 * 1024


class ContractRefused(lifecycle.TransitionRefused):
    """A contract action that is not allowed now, for this person; the message says why."""


PERMISSIONS = {
    "send": "contracts.send_scopeofwork",
    "approve": "contracts.approve_scopeofwork",
    "edit": "contracts.change_scopeofwork",
}
_ROLE_REFUSALS = {
    "send": "Only CCEE reviewers and leads can send or revise a scope of work.",
    "approve": "Only the administrative agent can approve, return or execute an agreement.",
}


def may(user, what: str) -> bool:
    """Return whether the person holds the contracts permission named `what`."""
    return bool(user is not None and user.is_active and user.has_perm(PERMISSIONS[what]))


def _holding(what: str):
    """Return the lifecycle check that the person holds the contracts permission `what`."""

    def check(user, sow) -> Decision:
        return ALLOW if may(user, what) else deny(_ROLE_REFUSALS[what])

    return check


def _record(*, row, transition, previous, by, at, reason) -> ContractChange:
    return ContractChange.objects.create(
        scope_of_work=row,
        action=transition.name,
        from_status=previous,
        to_status=row.status,
        version=row.version,
        by=by,
        at=at,
        comments=reason,
    )


_t = lifecycle.transition
_SEND, _APPROVE = _holding("send"), _holding("approve")

# The agreement's lifecycle as data: reviewers send drafts and revise them; the administrative
# agent approves or asks for revisions, sends the agreement to the LEA and records execution.
LIFECYCLE = lifecycle.Lifecycle(
    model=ScopeOfWork,
    transitions=[
        _t(
            "send_to_agent",
            "Send to the agent",
            "sent to the agent",
            [S.DRAFT],
            S.SENT_TO_AGENT,
            _SEND,
        ),
        _t(
            "request_revisions",
            "Request revisions",
            "returned for revisions",
            [S.SENT_TO_AGENT],
            S.REVISIONS_REQUESTED,
            _APPROVE,
            reason_required=True,
            reason_prompt="What needs revising",
            reason_keyword="comments",
            reason_missing="Say what needs revising: the comments are required.",
            bulk=False,
        ),
        _t(
            "revise",
            "Start a new draft version",
            "reopened as a new draft",
            [S.REVISIONS_REQUESTED],
            S.DRAFT,
            _SEND,
            bulk=False,
        ),
        _t(
            "approve",
            "Approve",
            "approved",
            [S.SENT_TO_AGENT],
            S.AGENT_APPROVED,
            _APPROVE,
            reason_prompt="Comments (optional)",
            reason_keyword="comments",
        ),
        _t(
            "send_to_lea",
            "Send the agreement to the LEA",
            "sent to the LEA",
            [S.AGENT_APPROVED],
            S.SENT_TO_LEA,
            _APPROVE,
        ),
        _t(
            "execute",
            "Record execution",
            "recorded as executed",
            [S.SENT_TO_LEA],
            S.EXECUTED,
            _APPROVE,
            bulk=False,
        ),
    ],
    record=_record,
    refused=ContractRefused,
    object_keyword="scope_of_work",
    select_related=("request__lea", "request__assigned_to"),
    touch=lambda sow, now: ["updated_at"],
    describe=lambda sow: f"The scope of work for {sow.request.reference}",
)
TRANSITIONS = LIFECYCLE.transitions
ALLOWED = LIFECYCLE.allowed


def available_transitions(sow: ScopeOfWork, user) -> list[lifecycle.Transition]:
    return LIFECYCLE.available(sow, user)


# --- Drafting on approval -----------------------------------------------------------------

PROVIDER_BY_METHOD = {
    AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW: "CCEE",
    AssistanceType.SYSTEMIC_REVIEW: "CCEE",
    AssistanceType.COACHING: "CCEE",
}


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _statutory_lines(determination: dict) -> list[str]:
    lines = [
        f"{rules.PATHWAY_CITATIONS[p]}: {rules.PATHWAY_LABELS[p]}"
        for p in determination.get("pathways", [])
        if p in rules.PATHWAY_CITATIONS
    ]
    if determination.get("h_priority"):
        lines.append(
            f"{rules.CITE_H}: priority for direct technical assistance (at risk of qualifying "
            "for state intervention under EC 52072(b))"
        )
    cost_basis = determination.get("cost_basis")
    if cost_basis in rules.COST_BASIS_LABELS:
        lines.append(f"Cost basis: {rules.COST_BASIS_LABELS[cost_basis]}")
    return lines


def _method(req: AssistanceRequest, determination: dict) -> str:
    if determination.get("systemic_review_required"):
        return AssistanceType.SYSTEMIC_REVIEW
    for value in req.assistance_types or []:
        if value in AssistanceType.values and value != AssistanceType.OTHER:
            return value
    return AssistanceType.COACHING


def _plan(method: str, start: date, end: date, systemic: bool, lea_name: str):
    """Return (activities, deliverables) spread over the term, for reviewers to adjust."""
    days = (end - start).days

    def at(fraction: float) -> date:
        return start + timedelta(days=int(days * fraction))

    label = AssistanceType(method).label
    activities = [
        ("Kick-off: agree the problem of practice and theory of action", 0, 0.1, "CCEE and LEA"),
        (f"{label}: data review, site visits and interviews", 0.1, 0.35, "Provider"),
        ("Action planning with the LEA's leading team", 0.35, 0.45, "LEA with CCEE"),
        ("Implementation support and progress monitoring", 0.45, 0.9, "Provider"),
        ("Final review of indicators and sustainability plan", 0.9, 1.0, "CCEE and LEA"),
    ]
    if systemic:
        activities.insert(
            1,
            (
                "Systemic review of the district (EC 52074(g)(2)(B))",
                0.05,
                0.3,
                "CCEE with partner agencies",
            ),
        )
    deliverables = [
        ("Agreed problem of practice and theory of action", 0.1, "Signed off by the LEA"),
        (f"{label} report of findings", 0.35, "Findings shared with the leading team"),
        ("Improvement action plan with measurable indicators", 0.45, "Adopted by the LEA"),
        ("Mid-term progress report", 0.7, "Indicators reported against baseline"),
        ("Final report", 1.0, f"Indicators reported to {lea_name} and CCEE"),
    ]
    return (
        [(t, at(a), at(b), who) for t, a, b, who in activities],
        [(t, at(f), ind) for t, f, ind in deliverables],
    )


def _roles_text(req: AssistanceRequest) -> str:
    parts = [
        f"{req.lea.name}: names a leading team, gives access to data and staff, and reports the "
        "indicators.",
        "CCEE: coordinates the assistance, monitors progress against the indicators, and reports.",
        "Administrative agent: prepares, approves and administers the agreement and its payments.",
    ]
    if req.partner_county_office:
        parts.append(f"{req.lea.county} County Office of Education: continues its support.")
    if req.partner_geographic_lead:
        parts.append("Geographic lead agency: coordinates with CCEE's assistance.")
    parts += [f"{p.name}: {p.role}" for p in req.partners.all()]
    return "\n".join(parts)


def _sharing_parties(req: AssistanceRequest) -> list[str]:
    parties = ["CCEE"]
    if req.partner_county_office:
        parties.append(f"{req.lea.county} County Office of Education")
    if req.partner_geographic_lead:
        parties.append("The geographic lead agency")
    parties += [p.name for p in req.partners.all()]
    return parties


@transaction.atomic
def scope_of_work_draft(*, assistance_request: AssistanceRequest, by) -> ScopeOfWork:
    """Create the scope-of-work draft of an approved request, prefilled from it (once)."""
    req = (
        AssistanceRequest.objects.select_for_update(of=("self",))
        .select_related("lea")
        .get(pk=assistance_request.pk)
    )
    existing = ScopeOfWork.objects.filter(request=req).first()
    if existing is not None:
        return existing
    if req.status != AssistanceRequest.Status.APPROVED:
        raise ContractRefused(f"{req} is not approved; a scope of work follows approval.")
    determination = req.determination_in_force or {}
    approved_at = req.decided_at or timezone.now()
    due = agreement_due_date(approved_at)
    start = req.preferred_start_date
    if start is None or start <= due:
        start = add_business_days(due, 1)
    months = min(req.estimated_months or MAX_TERM_MONTHS, MAX_TERM_MONTHS)
    end = _add_months(start, months) - timedelta(days=1)
    systemic = bool(determination.get("systemic_review_required"))
    method = _method(req, determination)
    cost_basis = determination.get("cost_basis") or req.cost_basis or rules.REIMBURSABLE
    sow = ScopeOfWork.objects.create(
        request=req,
        approved_at=approved_at,
        due_date=due,
        background="\n\n".join(
            part
            for part in [
                f"{req.lea.name} ({req.lea.get_lea_type_display()}, {req.lea.county} County) "
                f"requested CCEE's advice and assistance in {req.reference}, received "
                f"{local_date(req.received_at):%B %d, %Y} and approved "
                f"{local_date(approved_at):%B %d, %Y}.",
                req.data_evidence,
                f"Strategies already tried: {req.strategies_tried}" if req.strategies_tried else "",
                f"At risk of state intervention: {req.at_risk_basis}" if req.at_risk_basis else "",
            ]
            if part
        ),
        statutory_basis="\n".join(_statutory_lines(determination)),
        systemic_review=(
            "Under EC 52074(g)(2)(B), CCEE conducts a systemic review of the district to identify "
            "needs and strategies to improve pupil achievement, and coordinates the assistance of "
            "the governmental agencies involved."
            if systemic
            else ""
        ),
        problem_of_practice=req.problem_of_practice,
        theory_of_action=(
            f"If {req.lea.name} and CCEE address the problem of practice through "
            f"{AssistanceType(method).label.lower()}, then {req.desired_outcomes[:1].lower()}"
            f"{req.desired_outcomes[1:]}"
            if req.desired_outcomes
            else ""
        ),
        goals="\n".join(part for part in [req.lcap_goals, req.desired_outcomes] if part),
        indicators=req.progress_indicators,
        assistance_method=method,
        provider=PROVIDER_BY_METHOD.get(method, ""),
        roles=_roles_text(req),
        term_start=start,
        term_end=end,
        term_reason=(
            f"The LEA estimated {req.estimated_months} months; the term is limited to nine."
            if (req.estimated_months or 0) > MAX_TERM_MONTHS
            else ""
        ),
        cost_basis=cost_basis,
        cost_sharing_parties=(
            ", ".join(_sharing_parties(req)) if cost_basis == rules.SHARED_COST else ""
        ),
    )
    activities, deliverables = _plan(method, start, end, systemic, req.lea.name)
    Activity.objects.bulk_create(
        Activity(scope_of_work=sow, order=i, title=t, start_date=a, end_date=b, responsible=who)
        for i, (t, a, b, who) in enumerate(activities, start=1)
    )
    Deliverable.objects.bulk_create(
        Deliverable(scope_of_work=sow, order=i, title=t, due_date=d, indicator=ind)
        for i, (t, d, ind) in enumerate(deliverables, start=1)
    )
    if cost_basis != rules.STATE_FUNDED:
        payer = req.lea.name if cost_basis == rules.REIMBURSABLE else ""
        CostLine.objects.bulk_create(
            CostLine(
                scope_of_work=sow,
                order=i,
                description=text,
                quantity=Decimal(qty),
                unit=unit,
                unit_cost=Decimal("0.00"),
                paid_by=payer,
            )
            for i, (text, qty, unit) in enumerate(
                [
                    ("Facilitation and coaching", "12", "day"),
                    ("Data analysis and reports", "4", "day"),
                    ("Travel", "1", "lot"),
                ],
                start=1,
            )
        )
    ContractChange.objects.create(
        scope_of_work=sow,
        action="drafted",
        from_status="",
        to_status=sow.status,
        version=sow.version,
        by=by,
        at=timezone.now(),
        comments=f"Drafted on approval; agreement due {due:%A, %B %d, %Y}.",
    )
    return sow


def draft_on_approval(assistance_request, by) -> None:
    """The requests_intake APPROVAL_HOOKS entry: draft the scope of work in the same transaction."""
    scope_of_work_draft(assistance_request=assistance_request, by=by)


# --- Checks before a draft goes to the agent ----------------------------------------------


def scope_of_work_problems(sow: ScopeOfWork) -> list[str]:
    """Return what stops the draft from going to the agent, in plain sentences."""
    problems = []
    for field, label in [
        ("problem_of_practice", "the problem of practice"),
        ("theory_of_action", "the theory of action"),
        ("goals", "the goals"),
        ("indicators", "the measurable indicators"),
        ("statutory_basis", "the statutory basis"),
        ("roles", "the roles and responsibilities"),
    ]:
        if not getattr(sow, field).strip():
            problems.append(f"Write {label}.")
    if sow.term_months > MAX_TERM_MONTHS and not sow.term_reason.strip():
        problems.append(
            f"The term runs {sow.term_months} months: give the reason it needs more than nine."
        )
    activities = list(sow.activities.all())
    if not activities:
        problems.append("Add at least one activity.")
    for item in [*activities, *sow.deliverables.all()]:
        start = getattr(item, "start_date", None) or item.due_date
        end = getattr(item, "end_date", None) or item.due_date
        if start < sow.term_start or end > sow.term_end:
            problems.append(f"“{item}” has dates outside the term.")
    if "(g)(2)" in sow.statutory_basis and not sow.systemic_review.strip():
        problems.append("EC 52074(g)(2) applies: describe the systemic review.")
    lines = list(sow.cost_lines.all())
    total = sum((line.amount for line in lines), Decimal("0"))
    if sow.cost_basis == ScopeOfWork.CostBasis.REIMBURSABLE and total <= 0:
        problems.append("The LEA reimburses the costs: enter the cost lines with their unit costs.")
    if sow.cost_basis == ScopeOfWork.CostBasis.SHARED_COST and not sow.cost_sharing_parties:
        problems.append("The cost is shared: name the cost-sharing parties.")
    return problems


# --- Transitions --------------------------------------------------------------------------


def scope_of_work_admin_url(sow: ScopeOfWork) -> str:
    from django.conf import settings

    path = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
    return f"{settings.SITE_URL}{path}"


def _agents():
    return notices.staff_in_roles(roles.ADMINISTRATIVE_AGENT)


def _reviewers(req):
    return notices.reviewer_recipients(req)


def _run(name: str, sow: ScopeOfWork, by, *, comments: str = "", change=None, after=None):
    return LIFECYCLE.run(name, sow, by=by, reason=comments, change=change, after=after)


def _notify(kind, sow, recipients, history, *, staff_link=True, **extra):
    context = {"sow": sow, "change": history, "comments": history.comments, **extra}
    if staff_link:
        context["url"] = scope_of_work_admin_url(sow)
    notices.queue_notices(
        kind=kind,
        req=sow.request,
        recipients=recipients,
        event=f"sow{sow.pk}v{sow.version}c{history.pk}",
        context=context,
    )


@LIFECYCLE.service("send_to_agent")
def scope_of_work_send_to_agent(*, scope_of_work: ScopeOfWork, by) -> ScopeOfWork:
    """Send a complete draft to the administrative agent, who is notified."""

    def change(sow, now):
        problems = scope_of_work_problems(sow)
        if problems:
            raise ContractRefused("The draft is not ready to send: " + " ".join(problems))
        sow.sent_to_agent_at = now
        return ["sent_to_agent_at"]

    def after(sow, history):
        _notify(K.CONTRACT_DRAFT_SENT, sow, _agents(), history)

    return _run("send_to_agent", scope_of_work, by, change=change, after=after)


@LIFECYCLE.service("request_revisions")
def scope_of_work_request_revisions(
    *, scope_of_work: ScopeOfWork, by, comments: str
) -> ScopeOfWork:
    """Return the draft to CCEE with the agent's comments."""

    def change(sow, now):
        sow.revision_comments = comments.strip()
        return ["revision_comments"]

    def after(sow, history):
        _notify(K.CONTRACT_REVISIONS_REQUESTED, sow, _reviewers(sow.request), history)

    return _run(
        "request_revisions", scope_of_work, by, comments=comments, change=change, after=after
    )


@LIFECYCLE.service("revise")
def scope_of_work_revise(*, scope_of_work: ScopeOfWork, by) -> ScopeOfWork:
    """Reopen a returned scope of work as a new draft version."""

    def change(sow, now):
        sow.version += 1
        return ["version"]

    return _run("revise", scope_of_work, by, change=change)


@LIFECYCLE.service("approve")
def scope_of_work_approve(*, scope_of_work: ScopeOfWork, by, comments: str = "") -> ScopeOfWork:
    """Record the administrative agent's approval; CCEE's reviewers are told."""

    def change(sow, now):
        sow.agent_approved_at, sow.agent_approved_by = now, by
        return ["agent_approved_at", "agent_approved_by"]

    def after(sow, history):
        _notify(K.CONTRACT_APPROVED, sow, _reviewers(sow.request), history)

    return _run("approve", scope_of_work, by, comments=comments, change=change, after=after)


@LIFECYCLE.service("send_to_lea")
def scope_of_work_send_to_lea(*, scope_of_work: ScopeOfWork, by) -> ScopeOfWork:
    """Generate the agreement the LEA signs, store it as a new version, and tell the LEA."""

    def change(sow, now):
        sow.sent_to_lea_at = now
        return ["sent_to_lea_at"]

    def after(sow, history):
        document = _generate(sow, by, AgreementDocument.Kind.SENT)
        _notify(
            K.CONTRACT_SENT_TO_LEA,
            sow,
            notices.lea_recipients(sow.request),
            history,
            staff_link=False,
            document=document,
        )

    return _run("send_to_lea", scope_of_work, by, change=change, after=after)


@LIFECYCLE.service("execute")
def scope_of_work_execute(
    *, scope_of_work: ScopeOfWork, by, signed_copy, executed_on: date
) -> ScopeOfWork:
    """Record the executed agreement: the signed copy is stored and the date kept."""
    if signed_copy is None:
        raise ContractRefused("Upload the signed copy of the agreement.")
    if executed_on is None:
        raise ContractRefused("Give the date the agreement was executed.")
    if executed_on > timezone.localdate():
        raise ContractRefused("The execution date cannot be in the future.")
    content = signed_copy.read()
    if not content:
        raise ContractRefused("The signed copy is empty.")
    if len(content) > MAX_SIGNED_COPY_BYTES:
        raise ContractRefused("The signed copy is larger than 20 MB.")
    name = getattr(signed_copy, "name", "") or "signed-agreement"
    extension, content_type = _signed_copy_type(content)

    def change(sow, now):
        sow.executed_on = executed_on
        return ["executed_on"]

    def after(sow, history):
        _store(
            sow,
            by,
            AgreementDocument.Kind.SIGNED,
            content,
            original_name=name.rsplit("/", 1)[-1],
            content_type=content_type,
            extension=extension,
        )
        lea = notices.lea_recipients(sow.request)
        _notify(K.CONTRACT_EXECUTED, sow, lea, history, staff_link=False)
        _notify(K.CONTRACT_EXECUTED, sow, _reviewers(sow.request), history)

    return _run("execute", scope_of_work, by, change=change, after=after)


def _signed_copy_type(content: bytes) -> tuple[str, str]:
    if content.startswith(b"%PDF"):
        return ".pdf", "application/pdf"
    if content.startswith(b"PK") and b"word/" in content[:4096]:
        return ".docx", documents.DOCX_CONTENT_TYPE
    raise ContractRefused("The signed copy must be a PDF or a Word document (.docx).")


@transaction.atomic
def scope_of_work_record_negotiation(
    *, scope_of_work: ScopeOfWork, by, reason: str, extra_business_days: int
) -> ScopeOfWork:
    """Record that negotiation is anticipated: the extension is kept, the due date is not moved."""
    reason = (reason or "").strip()
    if not reason:
        raise ContractRefused("Give the reason negotiation is anticipated.")
    if not 1 <= extra_business_days <= 60:
        raise ContractRefused("The extension is from 1 to 60 business days.")
    sow = (
        ScopeOfWork.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=scope_of_work.pk)
    )
    if not (may(by, "approve") or may(by, "send")):
        raise ContractRefused("Only CCEE reviewers and the administrative agent can do this.")
    if sow.status in (S.AGENT_APPROVED, S.SENT_TO_LEA, S.EXECUTED):
        raise ContractRefused("The agreement is already approved; no extension is needed.")
    sow.negotiation_anticipated = True
    sow.negotiation_reason = reason
    sow.extension_business_days += extra_business_days
    sow.save(
        update_fields=[
            "negotiation_anticipated",
            "negotiation_reason",
            "extension_business_days",
            "updated_at",
        ]
    )
    ContractChange.objects.create(
        scope_of_work=sow,
        action="negotiation_anticipated",
        from_status=sow.status,
        to_status=sow.status,
        version=sow.version,
        by=by,
        comments=f"Extended by {extra_business_days} business days "
        f"(due {sow.due_date:%B %d, %Y}; now expected {sow.effective_due_date:%B %d, %Y}): "
        f"{reason}",
    )
    return sow


def scope_of_work_record_edit(*, scope_of_work: ScopeOfWork, by, changed: list[str]):
    """Keep who changed which parts of a draft's content, and when (nothing if nothing changed)."""
    if not changed:
        return None
    return ContractChange.objects.create(
        scope_of_work=scope_of_work,
        action="edited",
        from_status=scope_of_work.status,
        to_status=scope_of_work.status,
        version=scope_of_work.version,
        by=by,
        comments="Edited: " + "; ".join(changed) + ".",
    )


# --- Documents ----------------------------------------------------------------------------


def current_template() -> AgreementTemplate | None:
    return AgreementTemplate.objects.order_by("-version").first()


def _store(sow, by, kind, content: bytes, *, original_name, content_type, extension, template=None):
    # The row lock on the scope of work (held by every caller) serialises the numbering.
    number = (sow.documents.aggregate(n=Max("number"))["n"] or 0) + 1
    document = AgreementDocument(
        scope_of_work=sow,
        number=number,
        kind=kind,
        sow_version=sow.version,
        template=template,
        token=secrets.token_hex(8),
        extension=extension,
        original_name=original_name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        produced_by=by,
        produced_at=timezone.now(),
    )
    document.file.save("agreement", ContentFile(content), save=False)
    document.save()
    return document


def _generate(sow, by, kind) -> AgreementDocument:
    template = current_template()
    template_bytes = template.file.read() if template else documents.default_template_bytes()
    if template:
        template.file.close()
    sow = (
        ScopeOfWork.objects.select_related("request__lea")
        .prefetch_related("activities", "deliverables", "cost_lines")
        .get(pk=sow.pk)
    )
    content = documents.render_agreement(template_bytes, documents.agreement_context(sow))
    ref = sow.request.reference or f"sow-{sow.pk}"
    number = (sow.documents.aggregate(n=Max("number"))["n"] or 0) + 1
    return _store(
        sow,
        by,
        kind,
        content,
        original_name=f"{ref}-agreement-v{sow.version}-{number}.docx",
        content_type=documents.DOCX_CONTENT_TYPE,
        extension=".docx",
        template=template,
    )


def agreement_document_generate(*, scope_of_work: ScopeOfWork, by) -> AgreementDocument:
    """Render the scope of work as a new numbered DOCX version for review."""
    if not (may(by, "approve") or may(by, "send")):
        raise ContractRefused("Only CCEE reviewers and the administrative agent can do this.")
    with transaction.atomic():
        sow = ScopeOfWork.objects.select_for_update().get(pk=scope_of_work.pk)
        return _generate(sow, by, AgreementDocument.Kind.GENERATED)


def agreement_template_upload(*, upload, by, notes: str = "") -> AgreementTemplate:
    """Store a new template version after checking it renders; raise TemplateRejected if not."""
    if not by.has_perm("contracts.add_agreementtemplate"):
        raise ContractRefused("Only the administrative agent can upload agreement templates.")
    content = upload.read()
    if len(content) > MAX_SIGNED_COPY_BYTES:
        raise documents.TemplateRejected("The template is larger than 20 MB.")
    documents.check_template(content)
    with transaction.atomic():
        # Serialise version numbers: the newest version row is locked while the next is taken.
        last = AgreementTemplate.objects.select_for_update().order_by("-version").first()
        template = AgreementTemplate(
            version=(last.version if last else 0) + 1,
            original_name=(getattr(upload, "name", "") or "template.docx").rsplit("/", 1)[-1],
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            notes=notes.strip(),
            uploaded_by=by,
        )
        template.file.save("template.docx", ContentFile(content), save=False)
        template.save()
    return template
