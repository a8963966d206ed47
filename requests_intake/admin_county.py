"""The reviewers' side of the county confirmations: the changelist's filter and column, the
change view's panel (each fact the county answered beside what the LEA attested, with its
source), and the buttons that resend a link or name another contact (services in
requests_intake.county_confirmations; the superseded rows stay as the history).
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone

from core.files import private_file_response
from eligibility import rules

from . import county_confirmations as cc
from .models import CountyConfirmation

C = CountyConfirmation.Status
AWAITING_LABEL = "Awaiting county confirmation"


def county_flags() -> dict:
    """Return the annotations the changelist's column and filter read (two EXISTS, no join)."""
    current = CountyConfirmation.objects.filter(request=OuterRef("pk"))
    return {
        "county_awaiting": Exists(current.filter(status=C.PENDING)),
        "county_declined": Exists(current.filter(status=C.DECLINED)),
    }


class CountyConfirmationFilter(admin.SimpleListFilter):
    title = "county confirmation"
    parameter_name = "county_confirmation"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", AWAITING_LABEL),
            ("declined", "Declined by the county or geographic lead"),
            ("confirmed", "Confirmed, none awaiting"),
        ]

    def queryset(self, request, queryset):
        current = CountyConfirmation.objects.filter(request=OuterRef("pk"))
        value = self.value()
        if value == "awaiting":
            return queryset.filter(Exists(current.filter(status=C.PENDING)))
        if value == "declined":
            return queryset.filter(Exists(current.filter(status=C.DECLINED)))
        if value == "confirmed":
            return queryset.filter(Exists(current.filter(status=C.CONFIRMED))).exclude(
                Exists(current.filter(status__in=[C.PENDING, C.DECLINED]))
            )
        return queryset


def county_display(obj) -> str:
    """Return the changelist's county column: awaiting, declined, or nothing."""
    if getattr(obj, "county_declined", False):
        return "Declined"
    if getattr(obj, "county_awaiting", False):
        return "Awaiting"
    return ""


class ReplaceContactForm(forms.Form):
    name = forms.CharField(label="New contact's name", max_length=150)
    email = forms.EmailField(label="New contact's email address")
    agency = forms.CharField(
        label="Agency (leave empty to keep it)", max_length=200, required=False
    )


def confirmation_rows(req, attested_facts) -> list[dict]:
    """Return every link sent for the request, newest last, with what each answered."""
    now = timezone.now()
    rows = []
    for confirmation in req.county_confirmations.select_related("sent_by").order_by(
        "sent_at", "pk"
    ):
        rows.append(
            {
                "confirmation": confirmation,
                "facts": [
                    {
                        "label": rules.FACT_LABELS[fact],
                        "attested": attested_facts.get(fact, False),
                    }
                    for fact in cc.ROLE_FACTS[confirmation.role]
                ],
                "expired": confirmation.expires_at <= now,
                "can_resend": confirmation.status == C.PENDING,
                "can_replace": confirmation.status in (C.PENDING, C.DECLINED),
                "replace_form": ReplaceContactForm(
                    prefix=f"c{confirmation.pk}",
                    initial={"agency": confirmation.agency_name},
                ),
            }
        )
    return rows


def confirmed_fact_rows(req, attested_facts) -> list[dict]:
    """Return each fact the county answered: attested value, answered value and its source."""
    return [
        {
            "label": rules.FACT_LABELS[name],
            "attested": attested_facts.get(name, False),
            "value": fact["value"],
            "source": fact["source"],
            "differs": attested_facts.get(name, False) != fact["value"],
        }
        for name, fact in (req.confirmed_facts or {}).items()
    ]


class CountyConfirmationAdminMixin:
    """The request admin's views that resend a link or name another contact."""

    def get_county_confirmation_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/county-confirmations/<int:confirmation_pk>/resend/",
                wrap(self.county_resend_view),
                name=f"{prefix}_county_resend",
            ),
            path(
                "<int:pk>/county-confirmations/<int:confirmation_pk>/document/",
                wrap(self.county_document_view),
                name=f"{prefix}_county_document",
            ),
            path(
                "<int:pk>/county-confirmations/<int:confirmation_pk>/replace/",
                wrap(self.county_replace_view),
                name=f"{prefix}_county_replace",
            ),
        ]

    def _county_confirmation(self, request, pk, confirmation_pk):
        req = self._get_for_review(request, pk)
        return get_object_or_404(
            CountyConfirmation.objects.select_related("request__lea"),
            pk=confirmation_pk,
            request=req,
        )

    def _back(self, confirmation):
        url = reverse(
            "admin:requests_intake_assistancerequest_change", args=[confirmation.request_id]
        )
        return HttpResponseRedirect(f"{url}#county-heading")

    def county_document_view(self, request, pk, confirmation_pk):
        """Send the document the contact attached to the answer (reviewers and leads)."""
        confirmation = self._county_confirmation(request, pk, confirmation_pk)
        if not confirmation.file:
            raise Http404
        return private_file_response(
            confirmation.file,
            filename=confirmation.file_name,
            content_type=confirmation.file_content_type,
        )

    def county_resend_view(self, request, pk, confirmation_pk):
        """Send the same contact a new link (the old one stops working)."""
        confirmation = self._county_confirmation(request, pk, confirmation_pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            new = cc.county_confirmation_resend(confirmation=confirmation, by=request.user)
        except cc.ConfirmationRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(
                request, f"A new link was sent to {new.contact_email}.", messages.SUCCESS
            )
        return self._back(confirmation)

    def county_replace_view(self, request, pk, confirmation_pk):
        """Name another contact for the role and send them a link."""
        confirmation = self._county_confirmation(request, pk, confirmation_pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = ReplaceContactForm(request.POST, prefix=f"c{confirmation.pk}")
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else "The form"
                self.message_user(
                    request, f"No link was sent. {label}: {' '.join(errors)}", messages.ERROR
                )
            return self._back(confirmation)
        try:
            new = cc.county_confirmation_replace(
                confirmation=confirmation,
                by=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                agency=form.cleaned_data["agency"],
            )
        except cc.ConfirmationRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(
                request,
                f"{new.contact_name} <{new.contact_email}> now confirms for "
                f"{new.agency_name}; a link was sent.",
                messages.SUCCESS,
            )
        return self._back(confirmation)
