"""Sign-in throttling and rate limits: what django-axes counts, and django-ratelimit's limits."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django_ratelimit.core import get_usage, is_ratelimited


def axes_username(request, credentials=None) -> str:
    """Return the sign-in address in lower case, so "Pat@X.org" and "pat@x.org" are one account."""
    value = (credentials or {}).get("username")
    if value is None:
        value = getattr(request, "POST", {}).get("username", "")
    return (value or "").strip().lower()


# --- Rate limits ----------------------------------------------------------------------------
# django-ratelimit keeps the counters in the default cache (Redis in production).


TOO_MANY = "Too many attempts from this network or for this address. Wait an hour, then try again."
LOGIN_FAILURES_GROUP = "accounts.login-failures-per-ip"


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For when trusted.

    Only with DJANGO_TRUST_PROXY_HEADERS (the portal behind compose's proxy, which replaces any
    X-Forwarded-For a client sent) is the last address of that header the client's.
    """
    if settings.TRUST_PROXY_HEADERS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (an address, not a bind)


def _address_key(field):
    def key(group, request):
        return (request.POST.get(field) or "").strip().lower()

    return key


def limited(request, *, group: str, per_ip: str, per_address: str, field: str = "email") -> bool:
    """Count this POST against the address (IP) and the email address it names.

    Return True when either limit is past (the caller then changes nothing and says so).
    """
    over_ip = is_ratelimited(
        request, group=f"{group}:ip", key="ip", rate=per_ip, method="POST", increment=True
    )
    over_address = is_ratelimited(
        request,
        group=f"{group}:address",
        key=_address_key(field),
        rate=per_address,
        method="POST",
        increment=True,
    )
    return over_ip or over_address


def login_failures_exceeded(request) -> bool:
    """Whether this address has used up its failed sign-ins (the count is not moved here)."""
    usage = get_usage(
        request,
        group=LOGIN_FAILURES_GROUP,
        key="ip",
        rate=settings.RATE_LOGIN_FAILURES_PER_IP,
        increment=False,
    )
    return usage is not None and usage["count"] >= usage["limit"]


class LoginFailuresPerIpBackend:
    """Refuse every sign-in from an address past its failures across all accounts.

    Before ModelBackend in AUTHENTICATION_BACKENDS (after axes, which force_login and the session
    name as the first): raising PermissionDenied stops authentication before any password is
    checked (password spraying gets no answer), on the site and the admin alike. It has no
    get_user: it never signs anyone in, so sessions and force_login name ModelBackend.
    """

    def authenticate(self, request, **credentials):
        if request is not None and login_failures_exceeded(request):
            request.login_failures_exceeded = True
            raise PermissionDenied
        return None


def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and not getattr(request, "login_failures_exceeded", False):
        is_ratelimited(
            request,
            group=LOGIN_FAILURES_GROUP,
            key="ip",
            rate=settings.RATE_LOGIN_FAILURES_PER_IP,
            increment=True,
        )


user_login_failed.connect(_count_failure, dispatch_uid="accounts_login_failures_per_ip")
