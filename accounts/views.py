"""Sign in and out, verify an email address (and ask for a new link), and passwords.

Sign-up asks for the person's LEA, so its page is requests_intake's (membership_pages.py).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from . import services
from .forms import EmailAuthenticationForm, OutboxPasswordResetForm, VerificationLinkForm
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


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=OutboxPasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)
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
