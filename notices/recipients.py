"""Who receives a notice: an address, the person's account if there is one, and an audience."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from core.querysets import built_once


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object = None
    name: str = ""
    # "lea" recipients get links to the site; "staff" (CCEE and agent staff) links to the admin.
    audience: str = "lea"


@built_once
def _people_in_roles(role_names: tuple[str, ...]):
    user_model = get_user_model()
    members = user_model.groups.through.objects.filter(group__name__in=role_names)
    return user_model.objects.filter(is_active=True, pk__in=members.values("user_id")).order_by(
        "pk"
    )


def staff_in_roles(*role_names: str) -> list[Recipient]:
    """Return the active people in these roles, as staff recipients.

    The roles' members are a subquery of ids, so each person comes once without DISTINCT over
    every person's row. Every submission asks (the reviewers' alert): building the query was
    half of its cost.
    """
    users = _people_in_roles(tuple(role_names))
    return [Recipient(u.email.lower(), u, u.get_full_name(), "staff") for u in users]


def staff_recipient(user) -> Recipient:
    return Recipient(user.email.lower(), user, user.get_full_name(), "staff")


def person_recipient(user) -> Recipient:
    """Return a person as the recipient of a notice about their own account."""
    return Recipient(user.email.lower(), user, user.get_full_name(), "person")
