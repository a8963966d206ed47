"""People's accounts: an inactive account at sign-up, its verification, and the account emails.

Every email here is an outbox row first (notices.services.queue_notices), delivered by the same
Celery task as every other notice: a mail server that is down delays a link, it never loses one,
and a person whose link did not come can ask for a new one.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import roles
from notices.recipients import person_recipient
from notices.selectors import notice_queued_since
from notices.services import queue_notices

from .notice_kinds import K
from .tokens import email_verification_token

# A new verification link is queued at most this often for one account.
VERIFICATION_LINK_EVERY = timedelta(minutes=10)


def _event(user) -> str:
    """Return the outbox event of one link issued now: one row per issuance."""
    return f"user{user.pk}:{timezone.now():%Y%m%dT%H%M%S%f}"


@transaction.atomic
def user_sign_up(*, email, password, full_name, job_title="", phone="", role=roles.LEA_STAFF):
    """Create an inactive account (LEA staff unless `role` says otherwise) and queue the email
    that confirms its address."""
    user = get_user_model().objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        job_title=job_title,
        phone=phone,
        is_active=False,
    )
    roles.assign_role(user, role)
    verification_notice_queue(user=user)
    return user


def verification_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    return settings.SITE_URL + reverse("accounts:verify_email", args=[uid, token])


def verification_notice_queue(*, user) -> bool:
    """Queue an email with a new verification link, unless one was queued a moment ago.

    Return whether a link was queued.
    """
    since = timezone.now() - VERIFICATION_LINK_EVERY
    if notice_queued_since(kind=K.EMAIL_VERIFICATION, email=user.email, since=since):
        return False
    queued = queue_notices(
        kind=K.EMAIL_VERIFICATION,
        recipients=[person_recipient(user)],
        event=_event(user),
        context={"user": user, "url": verification_url(user)},
    )
    return queued == 1


@transaction.atomic
def verification_link_resend(*, email: str) -> None:
    """Queue a new verification link if this address is an account awaiting confirmation.

    Any other address (unknown, or confirmed already) gets nothing; the page that calls this
    answers the same either way, so it tells nobody which addresses have accounts.
    """
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(email__iexact=email.strip(), is_active=False, email_verified_at__isnull=True)
        .first()
    )
    if user is not None:
        verification_notice_queue(user=user)


def user_verify_email(*, user) -> None:
    """Activate the account whose email address was just confirmed."""
    user.is_active = True
    user.email_verified_at = timezone.now()
    user.save(update_fields=["is_active", "email_verified_at"])


def password_reset_notice_queue(*, user, uid: str, token: str) -> int:
    """Queue the email with a link to set a new password; return how many rows were queued."""
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    return queue_notices(
        kind=K.PASSWORD_RESET,
        recipients=[person_recipient(user)],
        event=_event(user),
        context={"user": user, "url": settings.SITE_URL + path},
    )


def sign_up_with_taken_address(*, email: str) -> None:
    """Answer a sign-up for an address that has an account: mail its owner, change nothing.

    An account still awaiting confirmation gets a new verification link; a confirmed one is
    told someone tried, with links to sign in and to reset the password. The sign-up page
    answers exactly as for a new address.
    """
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return
    if not user.is_active and user.email_verified_at is None:
        verification_link_resend(email=user.email)
        return
    since = timezone.now() - VERIFICATION_LINK_EVERY
    if notice_queued_since(kind=K.SIGNUP_ADDRESS_TAKEN, email=user.email, since=since):
        return
    queue_notices(
        kind=K.SIGNUP_ADDRESS_TAKEN,
        recipients=[person_recipient(user)],
        event=_event(user),
        context={
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
    )
