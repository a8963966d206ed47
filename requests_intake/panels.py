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
