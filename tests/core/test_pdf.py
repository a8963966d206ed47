"""core/pdf.py: templates become PDFs, with the portal's static files and nothing from outside."""

import io
from pathlib import Path

import pypdf
import pytest
from django.template.loader import render_to_string

from core import pdf

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_template_renders_to_a_pdf_holding_its_text():
    content = pdf.render_pdf("pdf_test/page.html", {"heading": "Agreement", "body": "Río & Sons"})
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "Agreement" in text and "Río & Sons" in text


def test_the_stylesheet_named_with_static_is_read_from_the_static_files(monkeypatch):
    fetched = []
    fetch = pdf.StaticFilesFetcher.fetch

    def recording(self, url, headers=None):
        response = fetch(self, url, headers)
        fetched.append((url, response.read()))
        return response

    monkeypatch.setattr(pdf.StaticFilesFetcher, "fetch", recording)
    html = render_to_string("pdf_test/page.html", {"heading": "x", "body": "y"})
    assert "css/pdf" in html
    pdf.render_pdf("pdf_test/page.html", {"heading": "x", "body": "y"})
    assert len(fetched) == 1
    url, body = fetched[0]
    assert "/static/css/pdf" in url and b"@page" in body


@pytest.mark.parametrize(
    "href",
    [
        "https://cdn.example.com/bootstrap.css",
        "file:///etc/passwd",
        "/static/../../ccee_portal/settings.py",
        "/static/css/no-such-file.css",
        "/private/agreements/1.docx",
    ],
)
def test_a_url_outside_the_static_files_is_refused_and_the_render_fails(href):
    with pytest.raises(pdf.RefusedURL):
        pdf.render_pdf("pdf_test/outside.html", {"href": href})


def test_data_urls_are_read_inline():
    href = "data:text/css,p%7Bcolor:red%7D"
    content = pdf.render_pdf("pdf_test/outside.html", {"href": href})
    assert "outside" in pdf_text(content)


def test_a_static_storage_off_this_disk_reads_the_stylesheet_from_the_source_files(settings):
    # A storage with no local path (object storage, here Django's in-memory one) is never asked
    # for one, even when it holds the file: the finders give the source file.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.base import ContentFile

    staticfiles_storage.save("css/pdf.css", ContentFile(b"collected, but not on this disk"))
    fetcher = pdf.StaticFilesFetcher()

    response = fetcher.fetch(f"{pdf.BASE_URL.rstrip('/')}{settings.STATIC_URL}css/pdf.css")

    assert b"@page" in response.read()
