"""Sign in and out, verify an email address (and ask for a new link), and passwords.

Sign-up asks for the person's LEA, so its page is requests_intake's (membership_pages.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from . import mfa, services, throttling
from .forms import (
    AuthenticatorConfirmForm,
    EmailAuthenticationForm,
    OutboxPasswordResetForm,
    SecondFactorForm,
    VerificationLinkForm,
)
from .tokens import email_verification_token


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["awaiting_verification"] = form.is_bound and form.has_error(
            NON_FIELD_ERRORS, "inactive"
        )
        return context


def verify_email(request, uidb64, token):
    try:
        user = get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    services.user_verify_email(user=user)
    messages.success(request, "Your email address is confirmed. You can sign in now.")
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def verification_link(request):
    """Send a new verification link; the answer is the same whether the address has an account."""
    form = VerificationLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.verification_link_resend(email=email)
        return render(request, "accounts/verification_link_sent.html", {"email": email})
    return render(request, "accounts/verification_link_form.html", {"form": form})


_password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=OutboxPasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)


def password_reset(request, *args, **kwargs):
    """Django's password reset, limited per network address and per email address."""
    if request.method == "POST" and throttling.limited(
        request,
        group="accounts.password-reset",
        per_ip=settings.RATE_PASSWORD_RESET_PER_IP,
        per_address=settings.RATE_PASSWORD_RESET_PER_ADDRESS,
    ):
        form = OutboxPasswordResetForm(request.POST)
        form.is_valid()
        form.add_error("email", throttling.TOO_MANY)
        return render(request, "accounts/password_reset_form.html", {"form": form}, status=429)
    return _password_reset(request, *args, **kwargs)


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change_form.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


# --- Two-step sign-in (accounts/mfa.py) ---------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index") if request.user.is_staff else reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    if request.user.mfa_enrolled_at is None:
        return redirect(f"{reverse('accounts:mfa_setup')}?next={_next_url(request)}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", "This code is not right, or was used already. Try the next one.")
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Add an authenticator app: scan the key, confirm with a code, keep the recovery codes.

    A person who has one already passes it first (the middleware sends them to mfa_verify).
    """
    if request.user.mfa_enrolled_at and not mfa.is_verified(request):
        return redirect(f"{reverse('accounts:mfa_verify')}?next={_next_url(request)}")
    device = mfa.pending_authenticator(request.user)
    form = AuthenticatorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_authenticator(
            user=request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            mfa.mark_verified(request)
            return render(
                request,
                "accounts/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        form.add_error("token", "This code is not right. Type the code the app shows now.")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mfa.qr_svg(device),
            "secret": mfa.secret_in_groups(device),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_manage(request):
    """The person's two-step sign-in: turn it on (LEA staff) or off, renew recovery codes."""
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "renew" and user.mfa_enrolled_at:
        codes = mfa.recovery_codes_renew(user=user)
        return render(
            request,
            "accounts/mfa_recovery_codes.html",
            {"codes": codes, "next": reverse("accounts:mfa_manage"), "first_time": False},
        )
    if action == "turn_off" and user.mfa_enrolled_at and not user.mfa_required:
        mfa.mfa_reset(user=user, by=user)
        messages.success(request, "Two-step sign-in is off for your account.")
        return redirect("accounts:mfa_manage")
    return render(request, "accounts/mfa_manage.html", {"enrolled": bool(user.mfa_enrolled_at)})
