"""The Content-Security-Policy header, built from settings once per process, not per response.

django-csp builds both headers (enforced and report-only) from the settings on every response.
The portal's policy is the same for every page, so the built headers are kept; a response or
request that changes the policy (django-csp's view decorators, a nonce) gets the library's own
build, and a change of the settings (a test's override) drops what was kept.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
_CHANGES = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)
_built: dict[bool, str] = {}


@receiver(setting_changed)
def _forget_built_policy(*, setting, **kwargs):
    if setting in _POLICY_SETTINGS:
        _built.clear()


def _policy(report_only: bool) -> str:
    if report_only not in _built:
        _built[report_only] = build_policy(report_only=report_only)
    return _built[report_only]


def _excluded(request, setting: str) -> bool:
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return request.path_info.startswith(tuple(prefixes))


class CachedPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once (see the module)."""

    def process_response(self, request, response):
        customised = getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CHANGES
        )
        if customised or settings.DEBUG:
            return super().process_response(request, response)
        for report_only, header, exempt, setting in (
            (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _policy(report_only)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not _excluded(request, setting)
            ):
                response[header] = policy
        # As the library does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
