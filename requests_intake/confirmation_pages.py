"""The public page where a county office or geographic lead contact confirms or declines.

No account: the signed link is the authority (requests_intake.county_confirmations). The page
shows only what the contact must confirm; a link that is tampered, unknown, used, superseded
or expired gets a page saying so and changes nothing. Opening and answering are rate-limited
per network address (RATE_COUNTY_CONFIRMATION_PER_IP).
"""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from eligibility import rules
from eligibility.statute import STATUTE

from . import county_confirmations as cc
from .attachments import ACCEPT_ATTRIBUTE, check_upload
from .forms import AccessibleFormMixin
from .models import CountyConfirmation

RATE_GROUP = "requests_intake.county-confirmation"
TOO_MANY = (
    "Too many confirmation links were opened from this network. Wait an hour, then open the "
    "link from your email again."
)
# What the page says about a link that opens nothing, by LinkInvalid.kind.
INVALID = {
    "invalid": (
        "This link is not valid",
        "It is not a link the portal sent, or it was changed on the way. Open the link from "
        "your email again, copying all of it.",
    ),
    "expired": (
        "This link has expired",
        "Confirmation links work for a limited time. Write to CCEE naming the request's "
        "reference, and CCEE will send you a new link.",
    ),
    "used": (
        "This link has been used",
        "An answer was already given through it, or CCEE has sent a newer link since. Nothing "
        "was changed. If you need to change your answer, write to CCEE.",
    ),
    "closed": (
        "This request no longer waits for a confirmation",
        "CCEE has decided on the request, or the LEA withdrew it. Nothing was changed.",
    ),
}


class ConfirmationAnswerForm(AccessibleFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[
            ("confirm", "I confirm this is correct"),
            ("decline", "I do not confirm this"),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choose whether you confirm or decline."},
    )
    note = forms.CharField(
        label="Note to CCEE (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, when the county superintendent decided, or why you decline. "
        "CCEE and the LEA read it.",
    )
    document = forms.FileField(
        label="A document (optional)",
        required=False,
        help_text="For example, the determination letter: PDF, Word (.docx), Excel (.xlsx), PNG "
        "or JPEG, up to 20 MB.",
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        return check_upload(upload) if upload else None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


def _invalid(request, kind: str, status: int):
    title, text = INVALID[kind]
    context = {"title": title, "text": text}
    template = "requests_intake/countyconfirmation_invalid.html"
    return render(request, template, context, status=status)


INVALID_STATUS = {"invalid": 404, "expired": 410, "used": 410, "closed": 410}


def _page(request, confirmation, form, status=200):
    form.prepare_display()
    req = confirmation.request
    facts = [
        (rules.FACT_LABELS[fact], getattr(req, fact)) for fact in cc.ROLE_FACTS[confirmation.role]
    ]
    context = {
        "confirmation": confirmation,
        "req": req,
        "facts": facts,
        "statute": STATUTE["g1A"],
        "form": form,
    }
    return render(request, "requests_intake/countyconfirmation_answer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def county_confirmation(request, token):
    """Show what the contact must confirm (GET); record the answer once (POST)."""
    if is_ratelimited(
        request,
        group=RATE_GROUP,
        key="ip",
        rate=settings.RATE_COUNTY_CONFIRMATION_PER_IP,
        method=is_ratelimited.ALL,
        increment=True,
    ):
        context = {"title": "Too many attempts", "text": TOO_MANY}
        return render(
            request, "requests_intake/countyconfirmation_invalid.html", context, status=429
        )
    try:
        confirmation = cc.confirmation_for_token(token)
    except cc.LinkInvalid as invalid:
        return _invalid(request, invalid.kind, INVALID_STATUS[invalid.kind])
    if request.method == "GET":
        return _page(request, confirmation, ConfirmationAnswerForm())
    form = ConfirmationAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, confirmation, form, status=400)
    try:
        answered = cc.county_confirmation_answer(
            confirmation=confirmation,
            holder=cc.LinkHolder(nonce=confirmation.nonce),
            confirmed=form.cleaned_data["answer"] == "confirm",
            note=form.cleaned_data["note"],
            upload=form.cleaned_data["document"],
        )
    except cc.ConfirmationRefused:
        # Answered, superseded or expired between the page and the answer: nothing changed.
        return _invalid(request, "used", 410)
    context = {"confirmation": answered, "req": answered.request}
    return render(request, "requests_intake/countyconfirmation_done.html", context)


def county_confirmation_panel(http_request, assistance_request) -> str:
    """Return the LEA's request page panel: who was asked to confirm, and their answers."""
    current = list(
        assistance_request.county_confirmations.exclude(
            status=CountyConfirmation.Status.SUPERSEDED
        ).order_by("role")
    )
    if not current:
        return ""
    html = render_to_string(
        "requests_intake/partials/county_confirmation_panel.html",
        {"confirmations": current, "req": assistance_request},
        request=http_request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template
