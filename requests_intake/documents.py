"""The PDF copy of a submitted request: attached to the receipt, downloadable from its page.

Made with the portal's one HTML-to-PDF helper (core.pdf, WeasyPrint) from the same summary the
request page shows, so the copy says what the LEA sent, section by section.
"""

from core.pdf import render_pdf

from .models import AssistanceType

PDF = "application/pdf"


def request_pdf_filename(req) -> str:
    return f"{req.reference or f'draft-{req.pk}'}.pdf"


def request_pdf(req) -> bytes:
    """Return the PDF copy of a request as submitted (its contacts, partners, evidence names)."""
    labels = dict(AssistanceType.choices)
    return render_pdf(
        "requests_intake/request_pdf.html",
        {
            "req": req,
            "assistance_labels": [str(labels.get(v, v)) for v in req.assistance_types or []],
        },
    )


def request_pdf_attachment(req) -> tuple[str, str, bytes]:
    """Return the copy as a notice attachment: (filename, content type, bytes)."""
    return request_pdf_filename(req), PDF, request_pdf(req)
