"""Writes of the provider registry: applying, the vetting lifecycle, notes, conflicts, members.

Every status change goes through the shared lifecycle runner (core.lifecycle): it locks the row,
checks the person and the state and the reason, saves, writes the ProviderChange row and queues
the outbox notices in one transaction. A refusal raises ProviderRefused saying why, and changes
nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts import services as accounts
from core import lifecycle, roles
from engagements.models import Engagement
from notices.recipients import Recipient, staff_in_roles
from notices.services import queue_notices

from . import permissions as perms
from .models import (
    Provider,
    ProviderAssignment,
    ProviderChange,
    ProviderConflict,
    ProviderMember,
    VettingNote,
)
from .notice_kinds import K

S = Provider.Status


class ProviderRefused(lifecycle.TransitionRefused):
    """A registry action that is not allowed now, for this person; the message says why."""


def require(decision) -> None:
    if not decision:
        raise ProviderRefused(decision.reason)


# --- Notices ----------------------------------------------------------------------------------


def provider_url(provider, audience: str) -> str:
    if audience == "staff":
        path = reverse("admin:providers_provider_change", args=[provider.pk])
    else:
        path = reverse("providers:profile", args=[provider.pk])
    return f"{settings.SITE_URL}{path}"


def provider_recipients(provider) -> list[Recipient]:
    """Return the provider's people and its contact address (the provider side of a notice)."""
    people = [
        Recipient(m.user.email.lower(), m.user, m.user.get_full_name())
        for m in provider.members.select_related("user")
        if m.user.is_active or m.user.email_verified_at is None
    ]
    people.append(Recipient(provider.contact_email.lower(), None, provider.name))
    return people


def _notify(kind, provider, recipients, event, audience, **context) -> int:
    return queue_notices(
        kind=kind,
        recipients=recipients,
        event=f"prov{provider.pk}:{event}",
        context={
            "provider": provider,
            "provider_name": provider.name,
            "url": provider_url(provider, audience),
            **context,
        },
    )


# --- The lifecycle ------------------------------------------------------------------------------


def _record(*, row, transition, previous, by, at, reason):
    return ProviderChange.objects.create(
        provider=row,
        action=transition.name,
        from_status=previous,
        to_status=row.status,
        by=by,
        at=at,
        reason=reason,
    )


_REASON = "Reason (the provider is told it)"
_T = lifecycle.transition
LIFECYCLE = lifecycle.Lifecycle(
    model=Provider,
    transitions=[
        _T(
            "start_review",
            "Start the review",
            "taken under review",
            [S.APPLIED],
            S.UNDER_REVIEW,
            perms.can_vet,
            reason_prompt="Note for the provider (optional)",
            notices={"provider": K.STATUS_CHANGED},
        ),
        _T(
            "approve",
            "Approve",
            "approved",
            [S.UNDER_REVIEW],
            S.APPROVED,
            perms.can_vet,
            reason_required=True,
            reason_prompt=_REASON,
            notices={"provider": K.STATUS_CHANGED},
        ),
        _T(
            "pause",
            "Pause",
            "paused",
            [S.APPROVED],
            S.PAUSED,
            perms.can_vet,
            reason_required=True,
            reason_prompt=_REASON,
            notices={"provider": K.STATUS_CHANGED},
        ),
        _T(
            "resume",
            "Resume",
            "approved again",
            [S.PAUSED],
            S.APPROVED,
            perms.can_vet,
            reason_required=True,
            reason_prompt=_REASON,
            notices={"provider": K.STATUS_CHANGED},
        ),
        _T(
            "decline",
            "Decline the application",
            "declined",
            [S.APPLIED, S.UNDER_REVIEW],
            S.REMOVED,
            perms.can_vet,
            reason_required=True,
            reason_prompt=_REASON,
            notices={"provider": K.STATUS_CHANGED},
        ),
        _T(
            "remove",
            "Remove from the registry",
            "removed from the registry",
            [S.APPROVED, S.PAUSED],
            S.REMOVED,
            perms.can_remove,
            reason_required=True,
            reason_prompt=_REASON,
            notices={"provider": K.STATUS_CHANGED},
        ),
    ],
    record=_record,
    refused=ProviderRefused,
    object_keyword="provider",
    touch=lambda row, now: ["updated_at"],
    describe=lambda p: p.name,
    noun="a provider",
)


def _status_notice(provider, history) -> None:
    _notify(
        K.STATUS_CHANGED,
        provider,
        provider_recipients(provider),
        f"c{history.pk}",
        "provider",
        status=provider.get_status_display().lower(),
        action=history.action,
        reason=history.reason,
    )


def _run(name, provider, by, reason="", change=None):
    def after(row, history):
        _status_notice(row, history)

    return LIFECYCLE.run(name, provider, by=by, reason=reason, change=change, after=after)


@LIFECYCLE.service("start_review")
def provider_start_review(*, provider: Provider, by, reason: str = "") -> Provider:
    """Take an application under review; the provider is told."""
    return _run("start_review", provider, by, reason)


@LIFECYCLE.service("approve")
def provider_approve(*, provider: Provider, by, reason: str) -> Provider:
    """Approve a vetted provider: it may be matched and assigned from now on."""

    def change(row, now):
        row.approved_at = now
        return ["approved_at"]

    return _run("approve", provider, by, reason, change)


@LIFECYCLE.service("pause")
def provider_pause(*, provider: Provider, by, reason: str) -> Provider:
    """Stop matching an approved provider for now (its current assignments go on)."""
    return _run("pause", provider, by, reason)


@LIFECYCLE.service("resume")
def provider_resume(*, provider: Provider, by, reason: str) -> Provider:
    return _run("resume", provider, by, reason)


@LIFECYCLE.service("decline")
def provider_decline(*, provider: Provider, by, reason: str) -> Provider:
    """Decline an application: the provider leaves the registry before it was approved."""
    return _run("decline", provider, by, reason)


@LIFECYCLE.service("remove")
def provider_remove(*, provider: Provider, by, reason: str) -> Provider:
    """Take an approved or paused provider off the registry (its people lose their access)."""
    return _run("remove", provider, by, reason)


# --- Applying -----------------------------------------------------------------------------------

PROFILE_FIELDS = (
    "name",
    "summary",
    "website",
    "contact_email",
    "expertise",
    "grade_spans",
    "counties",
    "statewide",
    "languages",
    "capacity",
    "references",
    "public_consent",
)


@transaction.atomic
def provider_apply(*, by, kind: str, lea=None, **profile) -> Provider:
    """Record an application to the registry by `by`, who becomes the provider's lead member.

    The provider starts `applied`, with its first history row; the applicant is told it was
    received and the reviewers are alerted, through the outbox.
    """
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown provider fields: {sorted(unknown)}")
    if kind == Provider.Kind.LEA and lea is None:
        raise ProviderRefused("A district-to-district provider names the LEA offering help.")
    provider = Provider.objects.create(
        kind=kind, lea=lea if kind == Provider.Kind.LEA else None, status=S.APPLIED, **profile
    )
    ProviderMember.objects.create(provider=provider, user=by, role=ProviderMember.Role.LEAD)
    if not by.groups.filter(name=roles.ASSISTANCE_PROVIDER).exists():
        roles.assign_role(by, roles.ASSISTANCE_PROVIDER)
    history = ProviderChange.objects.create(
        provider=provider, action="apply", to_status=S.APPLIED, by=by, at=provider.applied_at
    )
    _notify(K.APPLICATION_RECEIVED, provider, provider_recipients(provider), "applied", "provider")
    _notify(
        K.APPLICATION_ALERT,
        provider,
        staff_in_roles(*roles.REVIEW_ROLES),
        f"c{history.pk}",
        "staff",
    )
    return provider


@transaction.atomic
def provider_sign_up(*, email, password, full_name, job_title="", phone="", **application):
    """Create the applicant's (inactive) provider account and record the application.

    The account confirms its address as every account does (accounts.services); the application
    waits for a reviewer meanwhile.
    """
    user = accounts.user_sign_up(
        email=email,
        password=password,
        full_name=full_name,
        job_title=job_title,
        phone=phone,
        role=roles.ASSISTANCE_PROVIDER,
    )
    provider = provider_apply(by=user, **application)
    return user, provider


@transaction.atomic
def provider_profile_update(*, provider: Provider, by, **profile) -> Provider:
    """Save what a provider's lead member changed in the profile."""
    if not perms.is_lead_member(by, provider):
        raise ProviderRefused("Only the provider's lead can change its profile.")
    if provider.status == S.REMOVED:
        raise ProviderRefused("A provider removed from the registry cannot change its profile.")
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown provider fields: {sorted(unknown)}")
    for name, value in profile.items():
        setattr(provider, name, value)
    provider.save(update_fields=[*profile, "updated_at"])
    return provider


# --- Conflicts, notes, members -----------------------------------------------------------------


@transaction.atomic
def conflict_declare(*, provider: Provider, by, lea, kind: str, description: str = ""):
    """Record a conflict of interest the provider declares (or a reviewer records)."""
    if not (perms.is_member(by, provider) or perms.can_vet(by)):
        raise ProviderRefused("Only the provider's people or CCEE reviewers declare conflicts.")
    return ProviderConflict.objects.create(
        provider=provider, lea=lea, kind=kind, description=(description or "").strip()
    )


@transaction.atomic
def vetting_note_add(*, provider: Provider, by, criterion: str, text: str) -> VettingNote:
    """Add a reviewer's vetting note (internal: never shown to the provider or LEA staff)."""
    require(perms.can_vet(by))
    text = (text or "").strip()
    if not text:
        raise ProviderRefused("A vetting note needs its text.")
    return VettingNote.objects.create(provider=provider, author=by, criterion=criterion, text=text)


@transaction.atomic
def member_add(*, provider: Provider, user, role=ProviderMember.Role.MEMBER, by=None):
    """Make a person one of the provider's people (and give them the provider role)."""
    member, _created = ProviderMember.objects.get_or_create(
        provider=provider, user=user, defaults={"role": role}
    )
    if not user.groups.filter(name=roles.ASSISTANCE_PROVIDER).exists():
        roles.assign_role(user, roles.ASSISTANCE_PROVIDER)
    return member


# --- Assignments follow the agreement ----------------------------------------------------------


def assignments_follow_execution(sow, by) -> int:
    """Set the opened engagement on the scope of work's active assignments (EXECUTION_HOOKS).

    Return how many assignments now name the engagement.
    """
    engagement = Engagement.objects.filter(agreement=sow).first()
    if engagement is None:
        return 0
    return (
        ProviderAssignment.objects.active()
        .filter(scope_of_work=sow, engagement__isnull=True)
        .update(engagement=engagement)
    )


@transaction.atomic
def provider_registered(*, provider: Provider, by) -> ProviderChange:
    """Record that a lead registered the provider in the admin (its first history row)."""
    return ProviderChange.objects.create(
        provider=provider,
        action="register",
        to_status=provider.status,
        by=by,
        reason="Registered by CCEE.",
    )
