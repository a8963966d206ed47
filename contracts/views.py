"""Agreement pages: the printable scope of work, document downloads, the LEA's panel, and the
LEA's return of the signed agreement (an uploaded copy or an electronic signature)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.files import private_file_response
from requests_intake import panels

from . import documents as agreement_documents
from . import selectors, services
from .forms import ElectronicSignatureForm, SignedCopyForm
from .models import ScopeOfWork


@login_required
def scope_of_work_print(request, pk):
    """Show the scope of work as a print-friendly page (staff, or the LEA once it is sent)."""
    sow = selectors.scope_of_work_get_for_user(request.user, pk)
    return render(
        request,
        "contracts/scopeofwork_print.html",
        {"sow": sow, "a": agreement_documents.agreement_context(sow)},
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
    if panels.known_to_have_no_agreement(assistance_request):
        return ""
    sow, documents = selectors.lea_documents(http_request.user, assistance_request)
    if sow is None:
        return ""
    html = render_to_string(
        "contracts/partials/agreement_panel.html",
        {
            "sow": sow,
            "documents": documents,
            "to_sign": selectors.documents_to_sign(documents, sow),
            "returned": selectors.returned_copy(documents),
            "can_return": services.may_return_signed(sow, http_request.user),
        },
        request=http_request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template


def _returnable(request, pk) -> ScopeOfWork:
    """The agreement the person may return signed now; 404 when it is not theirs or not due."""
    sow = selectors.scope_of_work_for_lea_return(request.user, pk)
    if not services.may_return_signed(sow, request.user):
        raise Http404
    return sow


def _return_page(request, sow, *, sign_form=None, upload_form=None, status=200):
    sign_form = sign_form or ElectronicSignatureForm(sow=sow)
    upload_form = upload_form or SignedCopyForm()
    errors = [*sign_form.prepare_display(), *upload_form.prepare_display()]
    docs = list(selectors.lea_documents(request.user, sow.request)[1])
    return render(
        request,
        "contracts/agreement_return.html",
        {
            "sow": sow,
            "req": sow.request,
            "to_sign": selectors.documents_to_sign(docs, sow),
            "sign_form": sign_form,
            "upload_form": upload_form,
            "signatory": agreement_documents.signatory_line(sow),
            "is_signatory": services.is_signatory(sow, request.user),
            "errors": errors,
        },
        status=status,
    )


def _request_page(sow) -> str:
    return reverse("requests_intake:request_detail", args=[sow.request_id])


@login_required
def agreement_return(request, pk):
    """The LEA's page to sign and return the agreement: sign in the portal, or upload a copy."""
    return _return_page(request, _returnable(request, pk))


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@login_required
@require_POST
def agreement_sign(request, pk):
    """Sign the agreement electronically (typed name, title, date, consent), then seal it."""
    sow = _returnable(request, pk)
    form = ElectronicSignatureForm(request.POST, sow=sow)
    if form.is_valid():
        try:
            services.agreement_sign_electronically(
                scope_of_work=sow,
                by=request.user,
                **form.cleaned_data,
                ip_address=_client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )
        except services.ContractRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                "You signed the agreement. The administrative agent has been told and will "
                "record it as executed; the signed copy is below.",
            )
            return redirect(_request_page(sow))
    return _return_page(request, sow, sign_form=form, status=400)


@login_required
@require_POST
def agreement_upload(request, pk):
    """Return a signed copy of the agreement (checked by its content)."""
    sow = _returnable(request, pk)
    form = SignedCopyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agreement_return_signed_copy(
                scope_of_work=sow, by=request.user, checked=form.cleaned_data["signed_copy"]
            )
        except services.ContractRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                "The signed agreement is uploaded. The administrative agent has been told and "
                "will record it as executed.",
            )
            return redirect(_request_page(sow))
    return _return_page(request, sow, upload_form=form, status=400)
