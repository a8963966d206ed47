"""Sign-up and LEA membership, as services the views call."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import roles
from requests_intake.models import LeaMembership

from .tokens import email_verification_token


@transaction.atomic
def user_sign_up(*, email, password, full_name, job_title="", phone="", lea) -> object:
    """Create an inactive LEA staff account with a pending membership; email the link."""
    user = get_user_model().objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        job_title=job_title,
        phone=phone,
        is_active=False,
    )
    roles.assign_role(user, roles.LEA_STAFF)
    LeaMembership.objects.create(user=user, lea=lea)
    transaction.on_commit(lambda: send_verification_email(user))
    return user


def verification_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    return settings.SITE_URL + reverse("accounts:verify_email", args=[uid, token])


def send_verification_email(user) -> None:
    context = {"user": user, "url": verification_url(user)}
    send_mail(
        subject="Confirm your email address for the CCEE Assistance Portal",
        message=render_to_string("accounts/email/verify_email.txt", context),
        html_message=render_to_string("accounts/email/verify_email.html", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def user_verify_email(*, user) -> None:
    """Activate the account whose email address was just confirmed."""
    user.is_active = True
    user.email_verified_at = timezone.now()
    user.save(update_fields=["is_active", "email_verified_at"])


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
