"""The membership pages: sign-up as staff of an LEA, and asking to join another LEA.

They live here, not in accounts, because they ask for an LEA; accounts keeps the person, the
password and the verification (accounts.forms.AccountForm, accounts.services).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services as account_services
from accounts import throttling
from accounts.forms import AccountForm

from . import memberships
from .models import LeaMembership, LocalEducationalAgency


class LeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.get_lea_type_display()}, {obj.county} County ({obj.cds_code})"


def active_leas():
    return LocalEducationalAgency.objects.filter(status=LocalEducationalAgency.Status.ACTIVE)


class SignupForm(AccountForm):
    lea = LeaChoiceField(
        label="Your local educational agency",
        queryset=active_leas(),
        help_text="A CCEE reviewer approves your membership before you can see its requests.",
    )

    field_order = ["full_name", "email", "job_title", "phone", "lea", "password1", "password2"]


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


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and throttling.limited(
        request,
        group="accounts.signup",
        per_ip=settings.RATE_SIGNUP_PER_IP,
        per_address=settings.RATE_SIGNUP_PER_ADDRESS,
    ):
        form.is_valid()
        form.add_error("email", throttling.TOO_MANY)
        return render(request, "accounts/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.address_taken:
            # Answered as for a new address; the owner is mailed (no account enumeration).
            account_services.sign_up_with_taken_address(email=data["email"])
            return render(request, "accounts/signup_done.html", {"email": data["email"]})
        memberships.lea_staff_sign_up(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            job_title=data["job_title"],
            phone=data["phone"],
            lea=data["lea"],
        )
        return render(request, "accounts/signup_done.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request):
    form = MembershipRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        membership = memberships.membership_request(user=request.user, lea=form.cleaned_data["lea"])
        messages.success(
            request,
            f"You asked to join {membership.lea.name}. A CCEE reviewer will approve it.",
        )
        return redirect("home")
    return render(request, "accounts/membership_request.html", {"form": form})
