"""The PDF copy of a submitted request: attached to the receipt, downloadable from its page.

Made with the portal's one HTML-to-PDF helper (core.pdf, WeasyPrint) from the same summary the
request page shows, so the copy says what the LEA sent, section by section.
"""

from django.urls import reverse

from core.pdf import render_pdf
from notices.registry import AttachmentMaker
from notices.rendering import SITE_URL_MARK
from notices.services import MadeAtSending

from .models import AssistanceRequest, AssistanceType, LeaMembership

PDF = "application/pdf"
# The receipt's copy, made by the worker when the receipt is first sent (notices.attachments).
RECEIPT_COPY = "requests_intake.request_pdf"


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


def request_pdf_attachment(req) -> MadeAtSending:
    """Return the copy as a notice attachment, made when the notice is first sent."""
    return MadeAtSending(maker=RECEIPT_COPY, filename=request_pdf_filename(req), content_type=PDF)


def _copy_for_notice(notice) -> bytes:
    req = AssistanceRequest.objects.prefetch_related(
        "additional_contacts", "partners", "attachments"
    ).get(pk=notice.request_id)
    return request_pdf(req)


def _recipient_can_open(notice, req) -> bool:
    """Return whether the notice's recipient is an approved member of the request's LEA."""
    return (
        notice.recipient_id is not None
        and LeaMembership.objects.approved()
        .filter(lea_id=req.lea_id, user_id=notice.recipient_id, user__is_active=True)
        .exists()
    )


def _copy_unavailable(notice) -> str:
    """Return what a receipt whose copy could not be made says instead: where to download it."""
    req = notice.request
    if _recipient_can_open(notice, req):
        url = SITE_URL_MARK + reverse("requests_intake:request_pdf", args=[req.pk])
        return (
            f"The PDF copy of {req.reference} could not be attached to this email; "
            f"download it from {url}"
        )
    return (
        f"The PDF copy of {req.reference} could not be attached to this email; an approved "
        f"member of {req.lea.name} can download it from the request's page on the portal."
    )


RECEIPT_COPY_MAKER = AttachmentMaker(
    name=RECEIPT_COPY, make=_copy_for_notice, unavailable=_copy_unavailable
)
