"""Sign-up, sign-in and membership forms."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm

from requests_intake.models import LeaMembership, LocalEducationalAgency

DEMO_REFUSED = "Demo accounts are turned off on this server."


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The email address or password is not right. Both are case-sensitive.",
        "inactive": "This account is not active yet: follow the link in the verification email.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_ACCOUNTS_ENABLED:
            raise forms.ValidationError(DEMO_REFUSED, code="demo_refused")


class LeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.get_lea_type_display()}, {obj.county} County ({obj.cds_code})"


def active_leas():
    return LocalEducationalAgency.objects.filter(status=LocalEducationalAgency.Status.ACTIVE)


class SignupForm(forms.ModelForm):
    lea = LeaChoiceField(
        label="Your local educational agency",
        queryset=active_leas(),
        help_text="A CCEE reviewer approves your membership before you can see its requests.",
    )
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

    class Meta:
        model = get_user_model()
        fields = ["full_name", "email", "job_title", "phone"]
        labels = {"full_name": "Full name", "job_title": "Title"}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email address exists already: sign in or reset the password."
            )
        return email

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


class MembershipRequestForm(forms.Form):
    lea = LeaChoiceField(label="Local educational agency", queryset=active_leas())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_lea(self):
        lea = self.cleaned_data["lea"]
        if LeaMembership.objects.filter(user=self.user, lea=lea).exists():
            raise forms.ValidationError("You have asked to join this LEA already.")
        return lea
