"""Panels other apps add to the LEA's request page, without requests_intake importing them.

A panel is a callable (http_request, assistance_request) -> safe HTML string, or "" when it has
nothing to show; the contracts app registers the agreement download panel in its ready().
"""

from collections.abc import Callable

REQUEST_PAGE_PANELS: list[Callable] = []


def render_panels(http_request, assistance_request) -> list[str]:
    """Return the non-empty HTML of every registered panel, in registration order."""
    rendered = (panel(http_request, assistance_request) for panel in REQUEST_PAGE_PANELS)
    return [html for html in rendered if html]


def known_to_have_no_agreement(assistance_request) -> bool:
    """Return whether the page's read of the request found it has no agreement yet.

    The LEA's reads (selectors.requests_for_member) annotate `agreement_status`, the stored status
    of the request's agreement: None when it has none, so a panel about the agreement (or about
    the engagement it opens) has nothing to show and need not query. A request read otherwise
    is not known to have none.
    """
    return getattr(assistance_request, "agreement_status", "") is None
