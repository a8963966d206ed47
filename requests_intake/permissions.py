"""Who may do what to a request or a membership: each check returns a Decision(allowed, reason).

Authority comes from the permission codenames the role groups grant (core/roles.py), asked
through `user.has_perm`, so editing a group in the admin changes what its members may do. LEA
staff also need an approved membership of the request's LEA (one rule:
`LeaMembership.objects.approved_lea_ids`).
"""

from core.decisions import ALLOW, Decision, deny

from .models import LeaMembership

SUBMIT = "requests_intake.submit_assistancerequest"
VERIFY = "requests_intake.verify_assistancerequest"  # verify, triage, request information
DECIDE = "requests_intake.decide_assistancerequest"
REOPEN = "requests_intake.reopen_assistancerequest"
REASSIGN = "requests_intake.reassign_assistancerequest"
DECIDE_MEMBERSHIP = "requests_intake.change_leamembership"


def holds(user, permission: str) -> bool:
    """Return whether the person holds the permission (an anonymous or inactive one never does)."""
    return bool(user is not None and user.is_active and user.has_perm(permission))


def is_reviewer(user) -> bool:
    """Return whether the person does CCEE's review work (verification and triage)."""
    return holds(user, VERIFY)


def is_approved_member(user, lea_id: int) -> bool:
    return LeaMembership.objects.approved_lea_ids(user).filter(lea_id=lea_id).exists()


def can_act_for_lea(user, lea_id: int) -> Decision:
    if not (holds(user, SUBMIT) and is_approved_member(user, lea_id)):
        return deny("Only approved members of this LEA can do this.")
    return ALLOW


def can_act_as_lea(user, req) -> Decision:
    return can_act_for_lea(user, req.lea_id)


def can_edit_request_as_lea(user, req) -> Decision:
    decision = can_act_as_lea(user, req)
    if decision and not req.is_editable_by_lea:
        status = req.get_status_display().lower()
        return deny(f"This request is {status} and can no longer be edited.")
    return decision


def can_review(user, req) -> Decision:
    if not is_reviewer(user):
        return deny("Only CCEE reviewers and leads can do this.")
    return ALLOW


def can_decide(user, req) -> Decision:
    if not holds(user, DECIDE):
        return deny("Only CCEE reviewers and leads can approve or decline a request.")
    return ALLOW


def can_reopen(user, req) -> Decision:
    if not holds(user, REOPEN):
        return deny("Only a CCEE lead can reopen a declined request.")
    return ALLOW


def can_assign(user, req, assignee) -> Decision:
    """Reviewers take unassigned requests or hand on their own; leads reassign any request."""
    if not is_reviewer(user):
        return deny("Only CCEE reviewers and leads can assign requests.")
    if assignee is not None and not is_reviewer(assignee):
        return deny(f"{assignee} is not a CCEE reviewer or lead.")
    held_by_other = req.assigned_to_id is not None and req.assigned_to_id != user.pk
    if held_by_other and not holds(user, REASSIGN):
        return deny("Only a CCEE lead can reassign a request assigned to someone else.")
    return ALLOW


def can_decide_membership(user, membership) -> Decision:
    if not holds(user, DECIDE_MEMBERSHIP):
        return deny("Only CCEE reviewers and leads can approve or reject memberships.")
    return ALLOW


def can_designate_lead_contact(user, membership) -> Decision:
    """A reviewer makes an approved member the LEA's lead contact (replacing any other)."""
    if not holds(user, DECIDE_MEMBERSHIP):
        return deny("Only CCEE reviewers and leads can designate an LEA's lead contact.")
    if membership.is_lead_contact:
        return deny("This member is the LEA's lead contact already.")
    return ALLOW


def can_remove_lead_contact(user, membership) -> Decision:
    if not holds(user, DECIDE_MEMBERSHIP):
        return deny("Only CCEE reviewers and leads can change an LEA's lead contact.")
    if not membership.is_lead_contact:
        return deny("This member is not the LEA's lead contact.")
    return ALLOW


def is_lead_contact(user, lea_id: int) -> bool:
    return (
        LeaMembership.objects.approved()
        .filter(user=user, lea_id=lea_id, is_lead_contact=True)
        .exists()
    )


def can_admit_invited(user, membership) -> Decision:
    """The LEA's designated lead contact admits the colleague they invited (no reviewer)."""
    if not (holds(user, SUBMIT) and is_lead_contact(user, membership.lea_id)):
        return deny("Only the LEA's designated lead contact admits the colleagues they invite.")
    return ALLOW


def can_invite_colleague(user, lea_id: int) -> Decision:
    if not can_act_for_lea(user, lea_id):
        return deny("Only approved members of this LEA can invite colleagues to it.")
    return ALLOW
