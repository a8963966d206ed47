"""Drafting on approval: the scope of work prefilled from the approved request.

Approval calls draft_on_approval (a requests_intake APPROVAL_HOOKS entry) inside its own
transaction, so an approved request always has its draft. Reviewers then adjust the draft in the
admin before it goes to the administrative agent (services.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from eligibility import rules
from requests_intake import contract_terms
from requests_intake.models import AssistanceRequest, AssistanceType

from .calendar import add_business_days, agreement_due_date, local_date
from .documents import long_date
from .models import (
    MAX_TERM_MONTHS,
    Activity,
    ContractChange,
    CostLine,
    Deliverable,
    ScopeOfWork,
)
from .services import ContractRefused

PROVIDER_BY_METHOD = {
    AssistanceType.FACILITATED_INSTRUCTIONAL_REVIEW: "CCEE",
    AssistanceType.SYSTEMIC_REVIEW: "CCEE",
    AssistanceType.COACHING: "CCEE",
}

SYSTEMIC_REVIEW_TEXT = (
    "Under EC 52074(g)(2)(B), CCEE conducts a systemic review of the district to identify "
    "needs and strategies to improve pupil achievement, and coordinates the assistance of "
    "the governmental agencies involved."
)

# The reimbursement schedule's lines, for reviewers to price: (description, quantity, unit).
COST_LINES = (
    ("Facilitation and coaching", "12", "day"),
    ("Data analysis and reports", "4", "day"),
    ("Travel", "1", "lot"),
)


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
    start, end, term_reason = _term(req, due)
    systemic = bool(determination.get("systemic_review_required"))
    method = _method(req, determination)
    cost_basis = determination.get("cost_basis") or req.cost_basis or rules.REIMBURSABLE
    sow = ScopeOfWork.objects.create(
        request=req,
        approved_at=approved_at,
        due_date=due,
        agent_name=settings.ADMINISTRATIVE_AGENT_NAME,
        **_party(req),
        schools_in_scope="\n".join(contract_terms.school_lines(req.school_cds_codes)),
        funding_terms="\n".join(contract_terms.funding_lines(req)),
        background=_background(req, approved_at),
        statutory_basis="\n".join(_statutory_lines(determination)),
        systemic_review=SYSTEMIC_REVIEW_TEXT if systemic else "",
        problem_of_practice=req.problem_of_practice,
        theory_of_action=_theory_of_action(req, method),
        goals="\n".join(part for part in [req.lcap_goals, req.desired_outcomes] if part),
        indicators=req.progress_indicators,
        assistance_method=method,
        provider=PROVIDER_BY_METHOD.get(method, ""),
        roles=_roles_text(req),
        term_start=start,
        term_end=end,
        term_reason=term_reason,
        cost_basis=cost_basis,
        cost_sharing_parties=(
            ", ".join(_sharing_parties(req)) if cost_basis == rules.SHARED_COST else ""
        ),
    )
    _create_plan(sow, method, systemic, req.lea.name)
    _create_cost_lines(sow, req, cost_basis)
    ContractChange.objects.create(
        scope_of_work=sow,
        action="drafted",
        from_status="",
        to_status=sow.status,
        version=sow.version,
        by=by,
        at=timezone.now(),
        comments=f"Drafted on approval; agreement due {due:%A}, {long_date(due)}.",
    )
    return sow


def draft_on_approval(assistance_request, by) -> None:
    """The requests_intake APPROVAL_HOOKS entry: draft the scope of work in the same transaction."""
    scope_of_work_draft(assistance_request=assistance_request, by=by)


def _term(req: AssistanceRequest, due: date) -> tuple[date, date, str]:
    """Return the term's start, end and the reason it is shorter than the LEA's estimate.

    The term starts on the preferred date if that falls after the agreement is due (else the
    next business day) and lasts the estimated months, capped at MAX_TERM_MONTHS.
    """
    start = req.preferred_start_date
    if start is None or start <= due:
        start = add_business_days(due, 1)
    months = min(req.estimated_months or MAX_TERM_MONTHS, MAX_TERM_MONTHS)
    end = _add_months(start, months) - timedelta(days=1)
    reason = ""
    if (req.estimated_months or 0) > MAX_TERM_MONTHS:
        reason = (
            f"The LEA estimated {req.estimated_months} months; the term is limited to "
            f"{MAX_TERM_MONTHS} months."
        )
    return start, end, reason


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _background(req: AssistanceRequest, approved_at) -> str:
    """Return who asked, when, and what they reported, as the draft's background."""
    parts = [
        f"{_party_name(req)} ({req.lea.get_lea_type_display()}, {req.lea.county} County) "
        f"requested CCEE's advice and assistance in {req.reference}, received "
        f"{long_date(local_date(req.received_at))} and approved "
        f"{long_date(local_date(approved_at))}.",
        req.data_evidence,
        f"Strategies already tried: {req.strategies_tried}" if req.strategies_tried else "",
        f"At risk of state intervention: {req.at_risk_basis}" if req.at_risk_basis else "",
    ]
    return "\n\n".join(part for part in parts if part)


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


def _party_name(req: AssistanceRequest) -> str:
    """Return the LEA's legal name for contracting (the directory's name if none was given)."""
    return req.legal_name.strip() or req.lea.name


def _party(req: AssistanceRequest) -> dict:
    """Return the LEA's side of the agreement as the request names it."""
    return {
        "lea_legal_name": _party_name(req),
        "signatory_name": req.signatory_name,
        "signatory_title": req.signatory_title,
        "signatory_email": req.signatory_email,
    }


def _method(req: AssistanceRequest, determination: dict) -> str:
    """Return the assistance method: a systemic review when (g)(2) requires it, else the type
    of request the LEA chose, else the first other kind it checked."""
    if determination.get("systemic_review_required"):
        return AssistanceType.SYSTEMIC_REVIEW
    if req.request_type in AssistanceType.values and req.request_type != AssistanceType.OTHER:
        return req.request_type
    for value in req.assistance_types or []:
        if value in AssistanceType.values and value != AssistanceType.OTHER:
            return value
    return AssistanceType.COACHING


def _outcomes_clause(text: str) -> str:
    """The LEA's desired outcomes as one clause: lines joined, list marks and end stops dropped."""
    items = []
    for line in text.splitlines():
        item = line.strip().lstrip("-•*").strip().rstrip(".;,").strip()
        if item:
            # Lower-case the first word unless it is an acronym or a name ("LCAP", "ELA").
            first = item.split()[0]
            if not (first.isupper() or any(c.isupper() for c in first[1:])):
                item = item[:1].lower() + item[1:]
            items.append(item)
    if len(items) > 1:
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return items[0] if items else ""


def _theory_of_action(req: AssistanceRequest, method: str) -> str:
    """Return one sentence: "If <LEA> and CCEE address the problem of practice through
    <method>, then <LEA> expects to see these outcomes: <outcomes>."."""
    outcomes = _outcomes_clause(req.desired_outcomes or "")
    if not outcomes:
        return ""
    return (
        f"If {req.lea.name} and CCEE address the problem of practice through "
        f"{AssistanceType(method).label.lower()}, then {req.lea.name} expects to see these "
        f"outcomes: {outcomes}."
    )


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


def _create_plan(sow: ScopeOfWork, method: str, systemic: bool, lea_name: str) -> None:
    """Write the draft's activities and deliverables, spread over its term."""
    activities, deliverables = _plan(method, sow.term_start, sow.term_end, systemic, lea_name)
    Activity.objects.bulk_create(
        Activity(scope_of_work=sow, order=i, title=t, start_date=a, end_date=b, responsible=who)
        for i, (t, a, b, who) in enumerate(activities, start=1)
    )
    Deliverable.objects.bulk_create(
        Deliverable(scope_of_work=sow, order=i, title=t, due_date=d, indicator=ind)
        for i, (t, d, ind) in enumerate(deliverables, start=1)
    )


def _create_cost_lines(sow: ScopeOfWork, req: AssistanceRequest, cost_basis: str) -> None:
    """Write the cost lines to price, unless the state funds the assistance."""
    if cost_basis == rules.STATE_FUNDED:
        return
    payer = _party_name(req) if cost_basis == rules.REIMBURSABLE else ""
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
        for i, (text, qty, unit) in enumerate(COST_LINES, start=1)
    )


def _roles_text(req: AssistanceRequest) -> str:
    parts = [
        f"{_party_name(req)}: names a leading team, gives access to data and staff, and reports "
        "the indicators.",
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
