"""Per-request guards of the signed-in session: idle timeout, the second factor, no caching.

None of them costs a query on a page: the session and the user row are loaded already.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from . import mfa

LAST_SEEN_KEY = "last_seen_at"
# The last-seen time is rewritten at most this often (seconds), so a page costs no session write.
LAST_SEEN_GRANULARITY = 60


def idle_timeout(user) -> int:
    """Seconds of inactivity after which this person's session ends."""
    if user.is_staff or user.is_superuser:
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_LEA


def _now() -> int:
    from django.utils import timezone

    return int(timezone.now().timestamp())


def _stamp_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = _now()


user_logged_in.connect(_stamp_on_login, dispatch_uid="accounts_last_seen_on_login")


class SessionIdleTimeoutMiddleware:
    """Sign out a person whose session saw no request for longer than their idle timeout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = _now()
            last = request.session.get(LAST_SEEN_KEY)
            if last is None or now - last > idle_timeout(request.user):
                logout(request)
                messages.info(request, "You were signed out after a period without activity.")
                return redirect(
                    f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                )
            if now - last >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# Pages a person who still owes the second factor may open.
SECOND_FACTOR_OPEN = {
    "accounts:logout",
    "accounts:mfa_setup",
    "accounts:mfa_verify",
    "admin:logout",
    "healthz",
    "health",
    "health_worker",
}


class SecondFactorRequiredMiddleware:
    """Send staff without a passed second factor (and LEA staff who enrolled) to it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if mfa.needs_second_factor(request):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = None
            if view_name is not None and view_name not in SECOND_FACTOR_OPEN:
                step = (
                    "accounts:mfa_verify" if request.user.mfa_enrolled_at else "accounts:mfa_setup"
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages are never kept by a browser or a shared cache (they show requests and people).

    Static files never reach this middleware (WhiteNoise answers them first, with its own
    long-lived headers); a response that set its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True, no_cache=True, max_age=0)
        return response
