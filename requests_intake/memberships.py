"""LEA memberships: signing up as staff of an LEA, asking to join another, a reviewer's decision.

A decision is a lifecycle (core.lifecycle) like a request's: approve or reject locks the
membership, checks the reviewer's permission and the state, records a MembershipChange and
tells the applicant, in one transaction.
"""

from django.db import transaction

from accounts.services import user_sign_up
from core import lifecycle
from notices.recipients import person_recipient
from notices.services import queue_notices

from . import permissions
from .models import LeaMembership, MembershipChange
from .notice_kinds import MK

M = LeaMembership.Status


@transaction.atomic
def lea_staff_sign_up(*, email, password, full_name, job_title="", phone="", lea):
    """Create the inactive account (its verification email queued) and its pending membership."""
    user = user_sign_up(
        email=email, password=password, full_name=full_name, job_title=job_title, phone=phone
    )
    LeaMembership.objects.create(user=user, lea=lea)
    return user


def membership_request(*, user, lea) -> LeaMembership:
    """Ask to join an LEA; a CCEE reviewer approves or rejects the membership."""
    membership, _ = LeaMembership.objects.get_or_create(user=user, lea=lea)
    return membership


class MembershipRefused(lifecycle.TransitionRefused):
    """A membership decision that is not allowed now, for this person; the message says why."""


# The transitions that are events of their own rather than a reviewer's decision: their name
# is recorded with the history row, and the admin's history says it in words.
EVENTS = {"designate_lead", "remove_lead", "admit"}
REPLACED_AS_LEAD = "replaced_as_lead"


def _record(*, row, transition, previous, by, at, reason) -> MembershipChange:
    return MembershipChange.objects.create(
        membership=row,
        from_status=previous,
        to_status=row.status,
        by=by,
        at=at,
        reason=reason,
        event=transition.name if transition.name in EVENTS else "",
    )


def _already(verb):
    """Return the refusal for a membership decided so already (the only wrong state here)."""
    return lambda membership: MembershipRefused(f"already {verb}.")


_t = lifecycle.transition
_DECIDE = permissions.can_decide_membership

# A reviewer approves or rejects an application; either decision can be reversed later (a
# person who left the LEA is rejected; one rejected by mistake is approved).
LIFECYCLE = lifecycle.Lifecycle(
    model=LeaMembership,
    transitions=[
        _t("approve", "Approve", "approved", [M.PENDING, M.REJECTED], M.APPROVED, _DECIDE),
        _t(
            "reject",
            "Reject",
            "rejected",
            [M.PENDING, M.APPROVED],
            M.REJECTED,
            _DECIDE,
            reason_prompt="Reason (optional; sent to the applicant)",
        ),
        # The LEA's designated lead contact: one per LEA, an approved member. Colleagues the
        # lead contact invites are admitted on acceptance, without a reviewer.
        _t(
            "designate_lead",
            "Make the LEA's lead contact",
            "made the LEA's lead contact",
            [M.APPROVED],
            M.APPROVED,
            permissions.can_designate_lead_contact,
            bulk=False,
        ),
        _t(
            "remove_lead",
            "No longer the lead contact",
            "no longer the LEA's lead contact",
            [M.APPROVED],
            M.APPROVED,
            permissions.can_remove_lead_contact,
            bulk=False,
        ),
        _t(
            "admit",
            "Admit on invitation",
            "admitted on the lead contact's invitation",
            [M.PENDING],
            M.APPROVED,
            permissions.can_admit_invited,
            bulk=False,
        ),
    ],
    record=_record,
    refused=MembershipRefused,
    object_keyword="membership",
    select_related=("user", "lea"),
    describe=lambda m: f"{m.user.email} ({m.lea.name})",
    noun="a membership",
)


def _decide(name, membership, by, reason, kind):
    def change(row, now):
        row.decided_by, row.decided_at = by, now
        # A member who leaves the LEA is no longer its lead contact.
        row.is_lead_contact = row.is_lead_contact and row.status == M.APPROVED
        return ["decided_by", "decided_at", "is_lead_contact"]

    def after(row, history):
        queue_notices(
            kind=kind,
            recipients=[person_recipient(row.user)],
            event=f"membership{row.pk}c{history.pk}",
            context={"membership": row, "lea": row.lea, "reason": history.reason},
        )

    verb = LIFECYCLE[name].verb
    return LIFECYCLE.run(
        name,
        membership,
        by=by,
        reason=reason,
        change=change,
        after=after,
        wrong_state=_already(verb),
    )


@LIFECYCLE.service("approve")
def membership_approve(*, membership: LeaMembership, by) -> LeaMembership:
    """Approve a membership: the person sees and acts for the LEA from now on, and is told."""
    return _decide("approve", membership, by, "", MK.MEMBERSHIP_APPROVED)


@LIFECYCLE.service("reject")
def membership_reject(*, membership: LeaMembership, by, reason: str = "") -> LeaMembership:
    """Reject a membership (or end an approved one); the person is told, with the reason."""
    return _decide("reject", membership, by, reason, MK.MEMBERSHIP_REJECTED)


def _replace_lead(row, by, now) -> None:
    """End the LEA's other lead contact's designation (one per LEA), with its history row."""
    others = LeaMembership.objects.select_for_update().filter(
        lea_id=row.lea_id, is_lead_contact=True
    )
    for other in others.exclude(pk=row.pk):
        other.is_lead_contact = False
        other.save(update_fields=["is_lead_contact"])
        MembershipChange.objects.create(
            membership=other,
            from_status=other.status,
            to_status=other.status,
            by=by,
            at=now,
            event=REPLACED_AS_LEAD,
            reason=f"{row.user.get_full_name()} was made the lead contact.",
        )


@LIFECYCLE.service("designate_lead")
def membership_designate_lead_contact(*, membership: LeaMembership, by) -> LeaMembership:
    """Make an approved member the LEA's designated lead contact, replacing any other."""

    def change(row, now):
        _replace_lead(row, by, now)
        row.is_lead_contact = True
        return ["is_lead_contact"]

    return LIFECYCLE.run("designate_lead", membership, by=by, change=change)


@LIFECYCLE.service("remove_lead")
def membership_remove_lead_contact(*, membership: LeaMembership, by) -> LeaMembership:
    """End a member's designation as the LEA's lead contact (the membership stays approved)."""

    def change(row, now):
        row.is_lead_contact = False
        return ["is_lead_contact"]

    return LIFECYCLE.run("remove_lead", membership, by=by, change=change)


@LIFECYCLE.service("admit")
def membership_admit_invited(*, membership: LeaMembership, by) -> LeaMembership:
    """Approve the membership of a colleague the LEA's lead contact (`by`) invited."""

    def change(row, now):
        row.decided_by, row.decided_at = by, now
        return ["decided_by", "decided_at"]

    return LIFECYCLE.run("admit", membership, by=by, change=change)
