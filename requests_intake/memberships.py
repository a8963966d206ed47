"""LEA memberships: signing up as staff of an LEA, asking to join another, a reviewer's decision."""

from django.db import transaction
from django.utils import timezone

from accounts.services import user_sign_up

from .models import LeaMembership


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


@transaction.atomic
def membership_decide(*, memberships, by, approve: bool) -> int:
    """Approve or reject pending memberships; return how many changed."""
    status = LeaMembership.Status.APPROVED if approve else LeaMembership.Status.REJECTED
    return (
        LeaMembership.objects.filter(pk__in=[m.pk for m in memberships])
        .exclude(status=status)
        .update(status=status, decided_by=by, decided_at=timezone.now())
    )
