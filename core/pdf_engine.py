"""HTML to PDF, the one place the portal makes a PDF from a template (WeasyPrint).

A template is rendered with Django's engine as a page would be, then laid out by WeasyPrint.
WeasyPrint never goes to the network: the stylesheets and images a template names with
``{% static %}`` are read from the static files (the collected folder, else the app and
project folders the finders know), ``data:`` URLs are read inline, and any other URL is
refused, so a document renders the same offline, in the image and in the tests.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import FileSystemStorage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# The base of relative URLs in a document: never fetched, only a prefix the fetcher recognises.
BASE_URL = "https://pdf.portal.invalid/"


class RefusedURL(FatalURLFetchingError):
    """A document named a URL the portal does not fetch: not one of its static files.

    Fatal, so a template naming a missing or outside file fails instead of rendering without it.
    """


def _static_name(url: str) -> str | None:
    """The static file's name a URL of the document points to, or None when it is not one."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parts.netloc not in (urlsplit(BASE_URL).netloc, urlsplit(settings.SITE_URL).netloc):
        return None
    if not parts.path.startswith(static_prefix):
        return None
    name = unquote(parts.path[len(static_prefix) :])
    if not name or ".." in name.split("/"):
        return None
    return name


def _static_path(name: str) -> str | None:
    """The file behind a static name: the collected (maybe hashed) one where the static storage
    is on this disk, else the source file the finders know."""
    if isinstance(staticfiles_storage, FileSystemStorage):
        try:
            if staticfiles_storage.exists(name):
                return staticfiles_storage.path(name)
        except ValueError:  # a name the storage refuses to join to its folder
            pass
    return finders.find(name)


class StaticFilesFetcher(URLFetcher):
    """Serves a document's static files from disk and ``data:`` URLs; refuses every other URL."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        name = _static_name(url)
        path = _static_path(name) if name else None
        if path is None:
            raise RefusedURL(f"PDF documents read only the portal's static files, not {url}")
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """The PDF of a template rendered with ``context`` (and ``request`` when there is one)."""
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf()
