"""Sign-in, the account part of sign-up, a new verification link, and password reset forms."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from core.phone import USPhoneField

from . import services

DEMO_REFUSED = "Demo accounts are turned off on this server."
TOO_MANY_SIGN_INS = (
    "Too many failed sign-ins came from your network. Wait an hour, or reset your password."
)


def normalise_email(value: str) -> str:
    """Return an address the way sign-up stores it (accounts' emails are lower case)."""
    return (value or "").strip().lower()


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The email address or password is not right.",
        "inactive": (
            "This account is not active yet: follow the link in the email that confirms your "
            "address, or ask for a new one."
        ),
    }

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"])

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(self.request, "login_failures_exceeded", False):
                raise forms.ValidationError(TOO_MANY_SIGN_INS, code="too_many") from error
            # The right password of an account still awaiting its confirmation: say so (and
            # offer a new link) rather than "not right"; a wrong password learns nothing.
            if error.code == "invalid_login" and self._awaits_verification():
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from error
            raise

    def _awaits_verification(self) -> bool:
        user = (
            get_user_model()
            .objects.filter(
                email=self.cleaned_data.get("username"),
                is_active=False,
                email_verified_at__isnull=True,
            )
            .first()
        )
        return user is not None and user.check_password(self.cleaned_data.get("password") or "")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_ACCOUNTS_ENABLED:
            raise forms.ValidationError(DEMO_REFUSED, code="demo_refused")


class AccountForm(forms.ModelForm):
    """The person and their password: what every sign-up asks for."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    phone = USPhoneField(label="Phone", help_text="Optional. A US number with its area code.")

    class Meta:
        model = get_user_model()
        fields = ["full_name", "email", "job_title", "phone"]
        labels = {"full_name": "Full name", "job_title": "Title"}

    def clean_email(self):
        # An address that has an account already is not an error here: sign-up answers the same
        # either way and mails the owner (accounts.services.sign_up_with_taken_address), so the
        # page tells nobody which addresses have accounts.
        email = normalise_email(self.cleaned_data["email"])
        self.address_taken = get_user_model().objects.filter(email__iexact=email).exists()
        return email

    def validate_unique(self):
        # The address's uniqueness is answered by clean_email (without saying so), not here.
        exclude = self._get_validation_exclusions()
        exclude.add("email")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            user = get_user_model()(
                email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class VerificationLinkForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with its email written to the outbox and delivered from there."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        services.password_reset_notice_queue(
            user=context["user"], uid=context["uid"], token=context["token"]
        )


class SecondFactorForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AuthenticatorConfirmForm(forms.Form):
    token = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="After adding the key, type the 6-digit code the app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
