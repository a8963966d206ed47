"""The registry's pages on the site: parse → authorise → call a service → render.

The application is public (an account of the provider kind is made with it); a provider's
pages are its people's alone (CCEE staff see providers in the admin): anyone else gets a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services as account_services
from accounts import throttling
from accounts.forms import AccountForm
from requests_intake.selectors import approved_leas_for_user

from . import permissions as perms
from . import selectors, services
from .forms import ApplicationForm, ConflictForm, ProfileForm


def _throttled(request) -> bool:
    return throttling.limited(
        request,
        group="providers.apply",
        per_ip=settings.RATE_SIGNUP_PER_IP,
        per_address=settings.RATE_SIGNUP_PER_ADDRESS,
    )


def _apply_anonymous(request, form, account_form):
    data = account_form.cleaned_data
    context = {"email": data["email"]}
    if account_form.address_taken:
        # Answered as for a new address; the owner is mailed (no account enumeration).
        account_services.sign_up_with_taken_address(email=data["email"])
        return render(request, "providers/apply_done.html", context)
    services.provider_sign_up(
        email=data["email"],
        password=data["password1"],
        full_name=data["full_name"],
        job_title=data["job_title"],
        phone=data["phone"],
        **form.application(),
    )
    return render(request, "providers/apply_done.html", context)


@require_http_methods(["GET", "POST"])
def apply(request):
    """Apply to the registry: with a new account, or as a signed-in person (an LEA's member)."""
    user = request.user
    if user.is_authenticated and user.is_staff:
        return redirect("admin:providers_provider_changelist")
    anonymous = not user.is_authenticated
    data = request.POST or None
    account_form = AccountForm(data) if anonymous else None
    form = ApplicationForm(data, leas=None if anonymous else approved_leas_for_user(user))
    context = {"form": form, "account_form": account_form}
    if request.method != "POST":
        return render(request, "providers/apply.html", context)
    if anonymous and _throttled(request):
        account_form.is_valid()
        account_form.add_error("email", throttling.TOO_MANY)
        return render(request, "providers/apply.html", context, status=429)
    valid = form.is_valid()
    if account_form is not None:
        valid = account_form.is_valid() and valid
    if not valid:
        return render(request, "providers/apply.html", context)
    if anonymous:
        return _apply_anonymous(request, form, account_form)
    provider = services.provider_apply(by=user, **form.application())
    messages.success(request, f"The application of {provider.name} was received.")
    return redirect("providers:profile", provider.pk)


@login_required
def home(request):
    """The person's providers, each with the engagements it is assigned to."""
    return render(
        request,
        "providers/home.html",
        {"providers": selectors.member_providers(request.user)},
    )


@login_required
def profile(request, pk):
    provider = selectors.provider_get_for_member(request.user, pk)
    context = selectors.profile_page(provider)
    context["can_edit"] = perms.is_lead_member(request.user, provider)
    context["is_member"] = perms.is_member(request.user, provider)
    return render(request, "providers/profile.html", context)


def _member_provider(request, pk, *, lead=False):
    provider = selectors.provider_get_for_member(request.user, pk)
    allowed = perms.is_lead_member if lead else perms.is_member
    if not allowed(request.user, provider):
        raise Http404
    return provider


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk):
    provider = _member_provider(request, pk, lead=True)
    form = ProfileForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_profile_update(provider=provider, by=request.user, **form.profile())
        except services.ProviderRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The profile was saved.")
            return redirect("providers:profile", provider.pk)
    return render(request, "providers/profile_form.html", {"provider": provider, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def conflict_add(request, pk):
    provider = _member_provider(request, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(provider=provider, by=request.user, **form.cleaned_data)
        messages.success(request, "The conflict of interest was recorded.")
        return redirect("providers:profile", provider.pk)
    return render(request, "providers/conflict_form.html", {"provider": provider, "form": form})


def directory(request):
    """The public directory: approved providers a reviewer listed, with their consent."""
    return render(request, "providers/directory.html", {"providers": selectors.directory()})
