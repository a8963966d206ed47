"""The membership pages: sign-up as staff of an LEA, and asking to join another LEA.

They live here, not in accounts, because they ask for an LEA; accounts keeps the person, the
password and the verification (accounts.forms.AccountForm, accounts.services). The LEA is
chosen with the searchable picker (lea_picker.py); `lea_search` is its as-you-type endpoint.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services as account_services
from accounts import throttling
from accounts.forms import AccountForm

from . import invitations, lea_picker, memberships
from .models import LeaMembership

PASSWORDS = ("password1", "password2")


class SignupForm(lea_picker.LeaPickerMixin, AccountForm):
    lea = lea_picker.lea_field(
        label="Your local educational agency",
        help_text="A CCEE reviewer approves your membership before you can see its requests.",
    )

    field_order = ["full_name", "email", "job_title", "phone", "lea", "password1", "password2"]

    def __init__(self, *args, searching=False, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.init_picker(
            searching=searching,
            lea=invitation.lea if invitation else None,
            locked=invitation is not None,
        )


class MembershipRequestForm(lea_picker.LeaPickerMixin, forms.Form):
    lea = lea_picker.lea_field(label="Local educational agency")
    lea_label = "Local educational agency"

    def __init__(self, *args, user, searching=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.init_picker(searching=searching)

    def clean_lea(self):
        lea = self.cleaned_data["lea"]
        if LeaMembership.objects.filter(user=self.user, lea=lea).exists():
            raise forms.ValidationError("You have asked to join this LEA already.")
        return lea


def _search_form(form_class, request, **kwargs):
    """Return the form as a search left it: what was typed (no passwords), no errors yet."""
    initial = {k: v for k, v in request.POST.items() if k not in PASSWORDS}
    form = form_class(initial=initial, **kwargs)
    form.data = request.POST  # the picker reads the words and the LEA chosen from it
    form.init_picker(searching=True, lea=getattr(form, "picker", None) and form.picker.selected)
    return form


def _invitation_of(request):
    token = request.POST.get("invitation") or request.GET.get("invitation") or ""
    invitation = invitations.invitation_from_token(token) if token else None
    if invitation is not None and invitation.accepted_at is None:
        return invitation, token
    return None, ""


def _render_signup(request, form, token, status=200):
    return render(
        request, "accounts/signup.html", {"form": form, "invitation_token": token}, status=status
    )


def _signup_done(request, form):
    data = form.cleaned_data
    if form.address_taken:
        # Answered as for a new address; the owner is mailed (no account enumeration).
        account_services.sign_up_with_taken_address(email=data["email"])
        return render(request, "accounts/signup_done.html", {"email": data["email"]})
    user = memberships.lea_staff_sign_up(
        email=data["email"],
        password=data["password1"],
        full_name=data["full_name"],
        job_title=data["job_title"],
        phone=data["phone"],
        lea=data["lea"],
    )
    invitation = form.invitation
    if invitation is not None and invitation.email == user.email and invitation.lea == data["lea"]:
        invitations.invitation_accept(invitation=invitation, user=user)
    return render(request, "accounts/signup_done.html", {"email": data["email"]})


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    invitation, token = _invitation_of(request)
    if request.method == "POST" and lea_picker.is_search(request):
        return _render_signup(request, _search_form(SignupForm, request), token)
    initial = {"email": invitation.email} if invitation else None
    form = SignupForm(request.POST or None, initial=initial, invitation=invitation)
    if request.method == "POST" and throttling.limited(
        request,
        group="accounts.signup",
        per_ip=settings.RATE_SIGNUP_PER_IP,
        per_address=settings.RATE_SIGNUP_PER_ADDRESS,
    ):
        form.is_valid()
        form.add_error("email", throttling.TOO_MANY)
        return _render_signup(request, form, token, status=429)
    if request.method == "POST" and form.is_valid():
        return _signup_done(request, form)
    return _render_signup(request, form, token)


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request):
    if request.method == "POST" and lea_picker.is_search(request):
        form = _search_form(MembershipRequestForm, request, user=request.user)
        return render(request, "accounts/membership_request.html", {"form": form})
    form = MembershipRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        membership = memberships.membership_request(user=request.user, lea=form.cleaned_data["lea"])
        messages.success(
            request,
            f"You asked to join {membership.lea.name}. A CCEE reviewer will approve it.",
        )
        return redirect("home")
    return render(request, "accounts/membership_request.html", {"form": form})


@require_GET
def lea_search(request):
    """Return the picker's results for what is typed (htmx swaps them into the page)."""
    picker = lea_picker.build_picker(label="", data=request.GET)
    return render(
        request, "requests_intake/partials/lea_results.html", {"picker": picker, "oob": True}
    )
