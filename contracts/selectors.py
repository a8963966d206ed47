"""Reads the contracts pages need, in a fixed number of queries."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from requests_intake.permissions import is_approved_member

from .calendar import (
    add_business_days,
    business_days_between,
    closures_between,
    local_date,
    previous_business_day,
)
from .models import AgreementDocument, ScopeOfWork

S = ScopeOfWork.Status
LEA_VISIBLE_STATUSES = (S.SENT_TO_LEA, S.SIGNED_BY_LEA, S.EXECUTED)
LEA_VISIBLE_KINDS = (AgreementDocument.Kind.SENT, AgreementDocument.Kind.SIGNED)
# Closures read once for a page: from this long before the quarter to this long after today.
CLOSURE_WINDOW_DAYS = 120


def scope_of_work_full(pk: int) -> ScopeOfWork:
    """Return the scope of work with its request, LEA, activities, deliverables and cost lines."""
    return (
        ScopeOfWork.objects.select_related("request__lea", "agent_approved_by")
        .prefetch_related("activities", "deliverables", "cost_lines")
        .get(pk=pk)
    )


def scope_of_work_get_for_user(user, pk: int) -> ScopeOfWork:
    """Return the scope of work if the person may read it, else raise Http404.

    CCEE and agent staff with the view permission read any; approved LEA members read their
    LEA's agreement once it is sent to them.
    """
    try:
        sow = scope_of_work_full(pk)
    except ScopeOfWork.DoesNotExist as exc:
        raise Http404 from exc
    if user.has_perm("contracts.view_scopeofwork"):
        return sow
    if sow.status in LEA_VISIBLE_STATUSES and is_approved_member(user, sow.request.lea_id):
        return sow
    raise Http404


def document_get_for_user(user, pk: int) -> AgreementDocument:
    """Return the document if the person may download it, else raise Http404."""
    document = (
        AgreementDocument.objects.select_related("scope_of_work__request").filter(pk=pk).first()
    )
    if document is None:
        raise Http404
    if user.has_perm("contracts.view_agreementdocument"):
        return document
    sow = document.scope_of_work
    if (
        document.kind in LEA_VISIBLE_KINDS
        and sow.status in LEA_VISIBLE_STATUSES
        and is_approved_member(user, sow.request.lea_id)
    ):
        return document
    raise Http404


def scope_of_work_for_lea_return(user, pk: int) -> ScopeOfWork:
    """The agreement of one of the person's LEAs, once sent to them; else raise Http404."""
    sow = (
        ScopeOfWork.objects.select_related("request__lea")
        .filter(pk=pk, status__in=LEA_VISIBLE_STATUSES)
        .first()
    )
    if sow is None or not is_approved_member(user, sow.request.lea_id):
        raise Http404
    return sow


def documents_to_sign(documents: list[AgreementDocument], sow) -> list[AgreementDocument]:
    """The newest agreement sent for signature, as PDF and as DOCX (from a list, no query)."""
    sent = [d for d in documents if d.kind == AgreementDocument.Kind.SENT]
    newest = {}
    for document in sorted(sent, key=lambda d: d.number, reverse=True):
        newest.setdefault(document.extension, document)
    return [newest[ext] for ext in (".pdf", ".docx") if ext in newest]


def returned_copy(documents: list[AgreementDocument]) -> AgreementDocument | None:
    """The newest signed copy among the documents (from a list, no query)."""
    signed = [d for d in documents if d.kind == AgreementDocument.Kind.SIGNED]
    return max(signed, key=lambda d: d.number, default=None)


def lea_documents(user, assistance_request) -> tuple[ScopeOfWork | None, list[AgreementDocument]]:
    """Return the request's agreement and the documents its LEA member may download."""
    if not is_approved_member(user, assistance_request.lea_id):
        return None, []
    sow = (
        ScopeOfWork.objects.filter(request=assistance_request, status__in=LEA_VISIBLE_STATUSES)
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=AgreementDocument.objects.filter(kind__in=LEA_VISIBLE_KINDS).order_by(
                    "-number"
                ),
            )
        )
        .first()
    )
    if sow is None:
        return None, []
    return sow, list(sow.documents.all())


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def contracts_dashboard(*, today: date | None = None) -> dict:
    """Return the agent's dashboard: awaiting approval, due soon, overdue, and the median
    business days from approval to agent approval this quarter."""
    today = today or timezone.localdate()
    base = ScopeOfWork.objects.select_related("request__lea")
    open_rows = list(base.open().order_by("due_date", "pk"))
    awaiting = [sow for sow in open_rows if sow.status == S.SENT_TO_AGENT]
    start = _quarter_start(today)
    # One read of the closures serves every row (due dates lie within weeks of today).
    closures = closures_between(
        start - timedelta(days=CLOSURE_WINDOW_DAYS), today + timedelta(days=CLOSURE_WINDOW_DAYS)
    )
    soon_limit = add_business_days(today, 2, closures)
    overdue, due_soon = [], []
    for sow in open_rows:
        due = sow.effective_due_date_with(closures)
        sow.expected_due_date = due
        sow.days_left = max(business_days_between(today, due, closures), 0)
        sow.days_late = max(-business_days_between(today, due, closures), 0)
        if due < today:
            overdue.append(sow)
        elif due <= soon_limit:
            due_soon.append(sow)
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    approved = ScopeOfWork.objects.filter(agent_approved_at__gte=start_at).values_list(
        "approved_at", "agent_approved_at"
    )
    spans = [
        business_days_between(local_date(approved_at), local_date(agent_at), closures)
        for approved_at, agent_at in approved
    ]
    return {
        "today": today,
        "awaiting": awaiting,
        "due_soon": due_soon,
        "overdue": overdue,
        "median_days": statistics.median(spans) if spans else None,
        "approved_count": len(spans),
        "quarter_start": start,
    }


def reminder_due(sow: ScopeOfWork, today: date, closures=None) -> bool:
    """Return whether today is on or after the business day before the due date, not after it.

    `closures` (the office closures around the due date) spares a query when a sweep asks
    about many agreements.
    """
    due = sow.effective_due_date_with(closures)
    return previous_business_day(due, closures) <= today <= due
