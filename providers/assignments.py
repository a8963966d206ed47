"""Assign providers to a scope of work or an engagement, and end an assignment with a reason.

Each write locks the provider's row, checks the person's permission and the same exclusions the
candidates page shows (`ranking.exclusions`: approved, no conflict of interest with the LEA,
capacity left, not the LEA itself), writes the assignment and its AssignmentChange history row,
and queues the notice to the provider's people (its members and contact address) in the outbox,
all in one transaction.

Capacity: an active assignment takes one of the provider's `capacity` places while its engagement
runs, or, before the agreement is executed, while its scope of work is not executed yet
(`Provider.objects.with_load()`); ending it frees the place.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.decisions import ALLOW, Decision, deny
from engagements.models import Engagement, EngagementStatus
from notices.recipients import Recipient
from notices.services import queue_notices

from . import ranking
from .assignment_notices import K
from .matching import lea_profile
from .matching_models import AssignmentChange
from .models import Provider, ProviderAssignment, ProviderConflict

ASSIGN_PERMISSION = "providers.add_providerassignment"
UNASSIGN_PERMISSION = "providers.change_providerassignment"
ENDED = (EngagementStatus.COMPLETED, EngagementStatus.CLOSED)


class AssignmentRefused(Exception):
    """An assignment or unassignment that is not allowed; the message says why."""


def can_assign(user) -> Decision:
    if not user.has_perm(ASSIGN_PERMISSION):
        return deny("You may not assign providers.")
    return ALLOW


def can_unassign(user) -> Decision:
    if not user.has_perm(UNASSIGN_PERMISSION):
        return deny("You may not end a provider's assignment.")
    return ALLOW


def _require(decision: Decision) -> None:
    if not decision:
        raise AssignmentRefused(decision.reason)


def resolve_work(*, scope_of_work=None, engagement=None):
    """Return (scope of work, engagement) for what an assignment is on: each names the other."""
    if engagement is not None:
        return engagement.agreement, engagement
    if scope_of_work is None:
        raise AssignmentRefused("Name the scope of work or the engagement.")
    return scope_of_work, Engagement.objects.filter(agreement=scope_of_work).first()


def _check_work(engagement) -> None:
    if engagement is not None and engagement.status in ENDED:
        raise AssignmentRefused(
            f"The engagement is {engagement.get_status_display().lower()}: nobody can join it."
        )


def _candidate(provider: Provider, lea) -> ranking.Candidate:
    load = Provider.objects.with_load().get(pk=provider.pk).active_engagements
    conflicts = tuple(
        ranking.Conflict(lea_id=c.lea_id, kind=c.get_kind_display(), description=c.description)
        for c in ProviderConflict.objects.filter(provider=provider, lea=lea)
    )
    return ranking.Candidate(
        provider_id=provider.pk,
        name=provider.name,
        kind=provider.kind,
        status=provider.status,
        expertise=frozenset(provider.expertise or ()),
        capacity=provider.capacity,
        load=load,
        lea_id=provider.lea_id,
        conflicts=conflicts,
    )


def provider_assign(
    *,
    provider: Provider,
    by,
    scope_of_work=None,
    engagement=None,
    role: str = "",
    days_committed: int = 0,
) -> ProviderAssignment:
    """Assign the provider to the work; refuse with the reason the candidates page shows."""
    _require(can_assign(by))
    sow, engagement = resolve_work(scope_of_work=scope_of_work, engagement=engagement)
    _check_work(engagement)
    req = sow.request
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        need = ranking.Need(lea=lea_profile(req.lea), tags=frozenset())
        reasons = ranking.exclusions(need, _candidate(locked, req.lea))
        if reasons:
            raise AssignmentRefused(" ".join(r.reason for r in reasons))
        if ProviderAssignment.objects.active().filter(provider=locked, scope_of_work=sow).exists():
            raise AssignmentRefused(f"{locked.name} is already assigned to this work.")
        assignment = ProviderAssignment.objects.create(
            provider=locked,
            scope_of_work=sow,
            engagement=engagement,
            role=role.strip(),
            days_committed=days_committed,
            assigned_by=by,
        )
        change = AssignmentChange.objects.create(
            assignment=assignment, action=AssignmentChange.Action.ASSIGNED, by=by
        )
        _notify(assignment, change, K.ASSIGNED)
    return assignment


def provider_unassign(*, assignment: ProviderAssignment, by, reason: str) -> ProviderAssignment:
    """End an active assignment; the reason is required and kept in its history."""
    _require(can_unassign(by))
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentRefused("Say why the assignment ends.")
    with transaction.atomic():
        row = (
            ProviderAssignment.objects.select_for_update(of=("self",))
            .select_related("provider", "scope_of_work__request__lea")
            .get(pk=assignment.pk)
        )
        if row.ended_at is not None:
            raise AssignmentRefused("This assignment has ended already.")
        row.ended_at = timezone.now()
        row.end_reason = reason
        row.save(update_fields=["ended_at", "end_reason"])
        change = AssignmentChange.objects.create(
            assignment=row, action=AssignmentChange.Action.UNASSIGNED, by=by, reason=reason
        )
        _notify(row, change, K.UNASSIGNED)
    return row


def provider_recipients(provider: Provider) -> list[Recipient]:
    """Return the provider's people (its members) and its contact address, once each."""
    members = provider.members.select_related("user").filter(user__is_active=True)
    recipients = [
        Recipient(m.user.email.lower(), m.user, m.user.get_full_name(), "provider") for m in members
    ]
    if provider.contact_email:
        recipients.append(
            Recipient(provider.contact_email.lower(), None, provider.name, "provider")
        )
    return recipients


def _notify(assignment: ProviderAssignment, change: AssignmentChange, kind: str) -> None:
    sow = assignment.scope_of_work
    req = sow.request if sow is not None else assignment.engagement.request
    queue_notices(
        kind=kind,
        req=req,
        recipients=provider_recipients(assignment.provider),
        event=f"assignment-{change.pk}",
        context={
            "assignment": assignment,
            "provider": assignment.provider,
            "provider_name": assignment.provider.name,
            "change": change,
        },
    )


def agreement_rows(sow) -> list[dict]:
    """Return the providers actively assigned to the scope of work, for its agreement
    (contracts.documents.AGREEMENT_PROVIDER_HOOKS): name, role, days committed."""
    rows = (
        ProviderAssignment.objects.active()
        .filter(scope_of_work=sow)
        .select_related("provider")
        .order_by("assigned_at", "pk")
    )
    return [{"name": a.provider.name, "role": a.role, "days": a.days_committed} for a in rows]
