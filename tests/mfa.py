"""The suite's second-factor helpers (accounts/mfa.py): enrol an authenticator, make a code.

`client.force_login(user)` is the suite's shortcut past the password; for a person who must pass
a second factor (staff) or has one (LEA staff who opted in), tests/conftest.py makes it also
enrol an authenticator when there is none and mark the session as having passed it, so tests
that are not about MFA sign staff in exactly as before. Tests of MFA itself use the real flow
(the sign-in form, then the code), with `real_mfa` on the test to leave force_login alone.
"""

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa


def enrol_totp(user) -> TOTPDevice:
    """Give the person a confirmed authenticator (if none) and return it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=mfa.AUTHENTICATOR_NAME, confirmed=True)
    if user.mfa_enrolled_at is None:
        user.mfa_enrolled_at = timezone.now()
        user.save(update_fields=["mfa_enrolled_at"])
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now (as their phone would compute it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def fresh_code(user) -> str:
    """A code the portal accepts now: the replay guard forgets the last step used (test only)."""
    device = enrol_totp(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return totp_code(device)


def force_login_passing_second_factor(original):
    """Wrap Client.force_login: staff (and enrolled people) also pass the second factor."""

    def force_login(self, user, backend=None):
        if user.mfa_required or user.mfa_enrolled_at is not None:
            enrol_totp(user)
        original(self, user, backend)
        if user.mfa_enrolled_at is not None:
            session = self.session
            session[mfa.SESSION_KEY] = mfa.enrolment_stamp(user)
            session.save()

    return force_login
