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


def _record(*, row, transition, previous, by, at, reason) -> MembershipChange:
    return MembershipChange.objects.create(
        membership=row, from_status=previous, to_status=row.status, by=by, at=at, reason=reason
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
        return ["decided_by", "decided_at"]

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
