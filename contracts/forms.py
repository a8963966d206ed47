"""The LEA's forms for returning the signed agreement: an uploaded copy, or an e-signature."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_intake.attachments import check_upload
from requests_intake.forms import AccessibleFormMixin

from . import documents, services

SIGNED_COPY_TYPES = ("application/pdf", documents.DOCX_CONTENT_TYPE)


class SignedCopyForm(AccessibleFormMixin, forms.Form):
    signed_copy = forms.FileField(
        label="The signed agreement (PDF or Word)",
        help_text="A scan or PDF of the agreement with your signature, at most 20 MB. Its "
        "content is checked, not only its name.",
        error_messages={"required": "Choose the file of the signed agreement."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_signed_copy(self):
        upload = self.cleaned_data["signed_copy"]
        checked = check_upload(upload)  # raises ValidationError saying why
        if checked.content_type not in SIGNED_COPY_TYPES:
            raise ValidationError(
                f"{checked.original_name} is not a PDF or a Word document (.docx). Save the "
                "signed agreement as a PDF (most scanners can) and upload it again."
            )
        return checked


class ElectronicSignatureForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label="Your full name (your signature)",
        max_length=200,
        error_messages={"required": "Type your full name: it is your signature."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    title = forms.CharField(
        label="Your title",
        max_length=200,
        help_text="As it should appear on the agreement, e.g. Superintendent.",
        error_messages={"required": "Type your title."},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    signed_on = forms.DateField(
        label="Date",
        help_text="Today's date (Pacific time).",
        error_messages={
            "required": "Give today's date.",
            "invalid": "Give today's date as a date, e.g. 2026-12-01.",
        },
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent = forms.BooleanField(
        label=services.CONSENT_TEXT,
        error_messages={"required": "Tick the box to agree to sign electronically."},
    )

    def __init__(self, *args, sow=None, **kwargs):
        initial = {"signed_on": timezone.localdate()}
        if sow is not None:
            # Addressed to the signatory the agreement names.
            initial.update(name=sow.signatory_name, title=sow.signatory_title)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        today = timezone.localdate()
        if value != today:
            raise ValidationError(
                f"An electronic signature carries the date it is made: today, "
                f"{documents.long_date(today)}."
            )
        return value
