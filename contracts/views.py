"""Agreement pages: the print-friendly scope of work, document downloads, the LEA's panel."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.files import private_file_response

from . import selectors


@login_required
def scope_of_work_print(request, pk):
    """Show the scope of work as a print-friendly page (staff, or the LEA once it is sent)."""
    sow = selectors.scope_of_work_get_for_user(request.user, pk)
    cost_lines = list(sow.cost_lines.all())
    return render(
        request,
        "contracts/scopeofwork_print.html",
        {
            "sow": sow,
            "req": sow.request,
            "cost_lines": cost_lines,
            "total": sum((line.amount for line in cost_lines), 0),
            "statutory_lines": [x for x in sow.statutory_basis.splitlines() if x.strip()],
        },
    )


@login_required
def document_download(request, pk):
    """Send one stored agreement document to a person allowed to read it; else 404."""
    document = selectors.document_get_for_user(request.user, pk)
    return private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


def agreement_panel(http_request, assistance_request) -> str:
    """Return the agreement panel of the LEA's request page, or "" when there is none to show."""
    sow, documents = selectors.lea_documents(http_request.user, assistance_request)
    if sow is None:
        return ""
    html = render_to_string(
        "contracts/partials/agreement_panel.html",
        {"sow": sow, "documents": documents},
        request=http_request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template
