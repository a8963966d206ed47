"""Who may do what to a request: each check returns a Decision(allowed, reason)."""

from core import roles
from core.decisions import ALLOW, Decision


def role_names(user) -> frozenset[str]:
    """Return the user's role group names, cached on the user object."""
    cached = getattr(user, "_ccee_role_names", None)
    if cached is None:
        cached = frozenset()
        if user is not None and user.is_authenticated:
            cached = frozenset(user.groups.values_list("name", flat=True))
        user._ccee_role_names = cached
    return cached


def is_reviewer(user) -> bool:
    return bool(user.is_superuser or role_names(user) & set(roles.REVIEW_ROLES))


def is_lead(user) -> bool:
    return bool(user.is_superuser or roles.CCEE_LEAD in role_names(user))


def is_approved_member(user, lea_id: int) -> bool:
    from .models import LeaMembership

    if user is None or not user.is_authenticated:
        return False
    return LeaMembership.objects.approved().filter(user=user, lea_id=lea_id).exists()


def can_act_as_lea(user, req) -> Decision:
    if not is_approved_member(user, req.lea_id):
        return Decision(False, "Only approved members of this LEA can do this.")
    return ALLOW


def can_edit_request_as_lea(user, req) -> Decision:
    decision = can_act_as_lea(user, req)
    if decision and not req.is_editable_by_lea:
        status = req.get_status_display().lower()
        return Decision(False, f"This request is {status} and can no longer be edited.")
    return decision


def can_review(user, req) -> Decision:
    if not is_reviewer(user):
        return Decision(False, "Only CCEE reviewers and leads can do this.")
    return ALLOW


def can_reopen(user, req) -> Decision:
    if not is_lead(user):
        return Decision(False, "Only a CCEE lead can reopen a declined request.")
    return ALLOW


def can_assign(user, req, assignee) -> Decision:
    """Reviewers take unassigned requests or hand on their own; leads reassign any request."""
    if not is_reviewer(user):
        return Decision(False, "Only CCEE reviewers and leads can assign requests.")
    if assignee is not None and not is_reviewer(assignee):
        return Decision(False, f"{assignee} is not a CCEE reviewer or lead.")
    held_by_other = req.assigned_to_id is not None and req.assigned_to_id != user.pk
    if held_by_other and not is_lead(user):
        return Decision(False, "Only a CCEE lead can reassign a request assigned to someone else.")
    return ALLOW
