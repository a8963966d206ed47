"""Two-step sign-in (django-otp): an authenticator app's TOTP codes, and one-use recovery codes.

Staff (`User.mfa_required`) enrol before they can use the admin or the site; LEA staff may opt
in. A session has passed the second factor when it holds the enrolment time of its person
(`mark_verified`), so checking it costs no query: the user row, loaded for every request
already, carries `mfa_enrolled_at`. A reset by a lead (or a new enrolment) changes that time, so
every session of the person must pass the second factor again.
"""

import secrets

import segno
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.utils import timezone
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from notices.recipients import person_recipient
from notices.services import queue_notices

from .notice_kinds import K

SESSION_KEY = "mfa_verified_for"
RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def enrolment_stamp(user) -> str:
    return user.mfa_enrolled_at.isoformat() if user.mfa_enrolled_at else ""


def is_verified(request) -> bool:
    user = request.user
    return bool(user.mfa_enrolled_at) and request.session.get(SESSION_KEY) == enrolment_stamp(user)


def needs_second_factor(request) -> bool:
    """Whether this signed-in person must pass (or set up) a second factor before going on."""
    user = request.user
    if not user.is_authenticated:
        return False
    return (user.mfa_required or user.mfa_enrolled_at is not None) and not is_verified(request)


def mark_verified(request) -> None:
    request.session[SESSION_KEY] = enrolment_stamp(request.user)


def pending_authenticator(user) -> TOTPDevice:
    """Return the person's unconfirmed authenticator, made now if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the authenticator as an SVG QR code (no inline style)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code of the authenticator key", omitsize=True
    )


def secret_in_groups(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an authenticator by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_authenticator(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it; return new recovery codes.

    Return None (and change nothing) when the code is not right. Confirming replaces any
    earlier authenticator and recovery codes of the person.
    """
    if not device.verify_token((token or "").replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    user.mfa_enrolled_at = timezone.now()
    user.save(update_fields=["mfa_enrolled_at"])
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Replace the person's recovery codes (the old ones stop working)."""
    return _new_recovery_codes(user)


def verify(request, token: str) -> bool:
    """Check a code from the authenticator, or a recovery code (used up); mark the session."""
    cleaned = (token or "").replace(" ", "").replace("-", "")
    if not cleaned or request.user.mfa_enrolled_at is None:
        return False
    device = match_token(request.user, cleaned)
    if device is None:
        return False
    mark_verified(request)
    return True


@transaction.atomic
def mfa_reset(*, user, by) -> None:
    """Remove the person's authenticator and recovery codes (a lead's reset, or an opt-out).

    Staff must enrol again at their next step; the person is told by email.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.mfa_enrolled_at = None
    user.save(update_fields=["mfa_enrolled_at"])
    queue_notices(
        kind=K.MFA_RESET,
        recipients=[person_recipient(user)],
        event=f"user{user.pk}:mfa-reset:{timezone.now():%Y%m%dT%H%M%S%f}",
        context={"user": user, "by_self": by.pk == user.pk},
    )


def _forget_on_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


user_logged_out.connect(_forget_on_logout, dispatch_uid="accounts_mfa_forget_on_logout")
