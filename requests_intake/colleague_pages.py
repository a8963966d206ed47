"""An LEA's members page, inviting a colleague, and the page an invitation's link opens."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from core.header_values import validate_header_value

from . import invitations, permissions, selectors
from .models import LeaMembership

TOO_MANY_INVITATIONS = (
    "You have sent as many invitations as the portal allows for now. Wait an hour, then try again."
)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Your colleague's email address",
        max_length=254,
        validators=[validate_header_value],
        help_text="They receive an email with a link to create their account and join the LEA.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def _members_context(request, lea, form):
    members = list(selectors.lea_members(lea))
    may_invite = bool(permissions.can_invite_colleague(request.user, lea.pk))
    return {
        "lea": lea,
        "members": members,
        "invitations": list(selectors.lea_invitations_open(lea)) if may_invite else [],
        "form": form if may_invite else None,
        "lead_contact": next((m for m in members if m.is_lead_contact), None),
        "you_are_lead": any(m.is_lead_contact and m.user_id == request.user.pk for m in members),
    }


@login_required
@require_http_methods(["GET"])
def lea_members(request, lea_id):
    """Who else belongs to the LEA (approved members only; anyone else gets a 404)."""
    lea = selectors.lea_for_member(request.user, lea_id)
    context = _members_context(request, lea, InvitationForm())
    return render(request, "requests_intake/lea_members.html", context)


def _invitations_limited(request) -> bool:
    return is_ratelimited(
        request,
        group="requests_intake.invitations:user",
        key="user",
        rate=settings.RATE_INVITATIONS_PER_MEMBER,
        method="POST",
        increment=True,
    )


@login_required
@require_POST
def lea_invite(request, lea_id):
    """Invite a colleague by email (a notice in the outbox); errors stay next to the field."""
    lea = selectors.lea_for_member(request.user, lea_id)
    form = InvitationForm(request.POST)
    status = 200
    if not form.is_valid():
        status = 400
    elif _invitations_limited(request):
        form.add_error("email", TOO_MANY_INVITATIONS)
        status = 429
    else:
        try:
            invitation = invitations.invitation_send(
                lea=lea, email=form.cleaned_data["email"], by=request.user
            )
        except invitations.InvitationRefused as refusal:
            form.add_error("email", str(refusal))
            status = 400
        else:
            messages.success(request, f"We emailed an invitation to {invitation.email}.")
            return redirect("accounts:lea_members", lea_id=lea.pk)
    context = _members_context(request, lea, form)
    return render(request, "requests_intake/lea_members.html", context, status=status)


INVALID_LINK = "invalid"
USED_LINK = "used"


def _invitation_or_404(token):
    invitation = invitations.invitation_from_token(token)
    if invitation is None:
        raise Http404(INVALID_LINK)
    return invitation


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Open an invitation's link: sign up (anonymous), or join the LEA (signed in, that address).

    A tampered or expired link, and an invitation for another address, are 404s; a used one
    says so.
    """
    try:
        invited = _invitation_or_404(token)
    except Http404:
        return render(request, "requests_intake/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        if invited.accepted_at is not None:
            return render(request, "requests_intake/invitation_invalid.html", {"used": True})
        return redirect(f"{reverse('accounts:signup')}?invitation={token}")
    if request.user.email.lower() != invited.email:
        raise Http404("This invitation is for another address.")
    if invited.accepted_at is not None:
        return render(request, "requests_intake/invitation_invalid.html", {"used": True})
    membership = (
        LeaMembership.objects.filter(user=request.user, lea=invited.lea).only("status").first()
    )
    if request.method == "POST":
        membership = invitations.invitation_accept(invitation=invited, user=request.user)
        if membership.status == LeaMembership.Status.APPROVED:
            messages.success(request, f"You are now a member of {invited.lea.name}.")
        else:
            messages.success(
                request,
                f"You asked to join {invited.lea.name}. A CCEE reviewer will approve it.",
            )
        return redirect("home")
    context = {"invitation": invited, "membership": membership}
    return render(request, "requests_intake/invitation_accept.html", context)
