"""Colleague invitations: an approved member invites a colleague to the LEA by email.

The invitation is a notice in the outbox with a signed link (Django's signing, bound to the
invitation and its address, expiring after INVITATION_MAX_AGE_DAYS). Opening it signs the
colleague up, or (signed in with that address) asks them to join; the membership then waits
for a CCEE reviewer, unless the person who invited them is the LEA's designated lead contact:
then it is approved on acceptance, through the membership lifecycle (the history says so).
An invitation is used once.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.decisions import Decision
from notices.recipients import Recipient
from notices.services import queue_notices

from . import memberships, permissions
from .models import LeaInvitation, LeaMembership
from .notice_kinds import IK

SALT = "requests_intake.invitation"
ALREADY_MEMBER = "{email} is a member of {lea} already."


class InvitationRefused(Exception):
    """An invitation that cannot be sent or used; the message says why."""


def invitation_token(invitation: LeaInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=SALT, compress=True)


def invitation_url(invitation: LeaInvitation) -> str:
    return reverse("accounts:invitation", args=[invitation_token(invitation)])


def invitation_from_token(token: str) -> LeaInvitation | None:
    """Return the invitation a link names, if the link is genuine and not expired (else None)."""
    max_age = settings.INVITATION_MAX_AGE_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    invitation = (
        LeaInvitation.objects.select_related("lea", "invited_by").filter(pk=data["i"]).first()
    )
    if invitation is None or invitation.email != data.get("e"):
        return None
    return invitation


def _require(decision: Decision) -> None:
    if not decision:
        raise InvitationRefused(decision.reason)


@transaction.atomic
def invitation_send(*, lea, email: str, by) -> LeaInvitation:
    """Invite `email` to join `lea` on behalf of `by` (an approved member); queue the notice."""
    _require(permissions.can_invite_colleague(by, lea.pk))
    email = email.strip().lower()
    if LeaMembership.objects.approved().filter(lea=lea, user__email__iexact=email).exists():
        raise InvitationRefused(ALREADY_MEMBER.format(email=email, lea=lea.name))
    invitation = LeaInvitation.objects.create(lea=lea, email=email, invited_by=by)
    queue_notices(
        kind=IK.COLLEAGUE_INVITATION,
        recipients=[Recipient(email, None, "", "person")],
        event=f"invitation{invitation.pk}",
        context={
            "lea": lea,
            "inviter": by,
            "invitation_path": invitation_url(invitation),
            "admitted_on_acceptance": permissions.is_lead_contact(by, lea.pk),
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: LeaInvitation, user) -> LeaMembership:
    """Use the invitation for `user` (whose address it names): their membership of the LEA.

    The membership is pending, for a reviewer, unless the inviter is the LEA's designated lead
    contact now: then the lead contact admits it. Raise InvitationRefused if it was used.
    """
    row = LeaInvitation.objects.select_for_update().get(pk=invitation.pk)
    if row.accepted_at is not None:
        raise InvitationRefused("This invitation has been used already.")
    if row.email != user.email.lower():
        raise InvitationRefused("This invitation is for another email address.")
    membership, _ = LeaMembership.objects.get_or_create(user=user, lea_id=row.lea_id)
    inviter = row.invited_by
    if membership.status == LeaMembership.Status.PENDING and permissions.can_admit_invited(
        inviter, membership
    ):
        membership = memberships.membership_admit_invited(membership=membership, by=inviter)
    row.accepted_at, row.membership = timezone.now(), membership
    row.save(update_fields=["accepted_at", "membership"])
    return membership
