"""A person's account notices: the email-verification and password-reset links.

Registered with the outbox (notices.registry) by AccountsConfig.ready(); the bodies are
accounts/notices/<kind>.txt and .html. They carry a personal link, so the notices admin shows
everything about them but their body.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notices.registry import NoticeKind


class K(models.TextChoices):
    EMAIL_VERIFICATION = "email_verification", _("Email address confirmation link")
    PASSWORD_RESET = "password_reset", _("Password reset link")
    SIGNUP_ADDRESS_TAKEN = "signup_address_taken", _("Sign-up tried with an account's address")
    MFA_RESET = "mfa_reset", _("Two-step sign-in reset")


SUBJECTS = {
    K.EMAIL_VERIFICATION: "Confirm your email address for the CCEE Assistance Portal",
    K.PASSWORD_RESET: "Set a new password for the CCEE Assistance Portal",
    K.SIGNUP_ADDRESS_TAKEN: (
        "Someone tried to create a CCEE Assistance Portal account with your address"
    ),
    K.MFA_RESET: "Your two-step sign-in for the CCEE Assistance Portal was reset",
}

KINDS = [
    NoticeKind(
        value=kind.value,
        label=kind.label,
        subject=SUBJECTS[kind],
        templates="accounts/notices",
        confidential=True,
    )
    for kind in K
]
