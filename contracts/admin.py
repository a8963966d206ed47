"""The contracts admin: scopes of work (CCEE reviewers and the administrative agent), templates,
documents, history and office closures. Every change of status goes through contracts.services.
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core import files
from core.admin_lifecycle import DescribedErrorsMixin, LifecycleAdminMixin
from core.admin_mixins import ViewOnlyAdminMixin

from . import selectors, services, signature, versions
from .calendar import business_days_between, closures_between
from .documents import DOCX_CONTENT_TYPE, TemplateRejected, check_template, default_template_bytes
from .models import (
    Activity,
    AgreementDocument,
    AgreementTemplate,
    Closure,
    ContractChange,
    CostLine,
    Deliverable,
    ElectronicSignature,
    ScopeOfWork,
    ScopeOfWorkSnapshot,
)

S = ScopeOfWork.Status


def days_left_text(sow: ScopeOfWork, today=None, closures=None) -> str:
    """Return the business days left before the agreement is due, or how late it is."""
    if sow.status not in (S.DRAFT, S.SENT_TO_AGENT, S.REVISIONS_REQUESTED):
        return "Done"
    today = today or timezone.localdate()
    days = business_days_between(today, sow.due_date, closures)
    if sow.due_date < today:
        text = f"{-days} business day{'s' if days != -1 else ''} late"
    elif days == 0:
        text = "Due today"
    else:
        text = f"{days} business day{'s' if days != 1 else ''} left"
    if sow.extension_business_days:
        expected = sow.effective_due_date_with(closures)
        text += f" (negotiation: +{sow.extension_business_days}, expected {expected:%b %d})"
    return text


class LabelledRowFormSet(BaseInlineFormSet):
    """Rows of a tabular inline: their inputs have no <label> of their own, so each names
    itself (aria-label) after its field and row, for screen readers and axe-core."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            field.widget.attrs.setdefault("aria-label", f"{field.label or name} ({row})")


def returned_copy_html(sow: ScopeOfWork):
    """The signed copy the LEA returned, with the e-signature's evidence and its seal check."""
    document = services.returned_signed_copy(sow)
    if document is None:
        return "None yet"
    url = reverse("contracts:document_download", args=[document.pk])
    link = format_html(
        '<a href="{}">Download {}</a> (document #{}, {})',
        url,
        document.original_name,
        document.number,
        timezone.localtime(document.produced_at).strftime("%B %-d, %Y, %-I:%M %p %Z"),
    )
    record = ElectronicSignature.objects.filter(document=document).first()
    if record is None:
        who = document.produced_by.get_full_name() if document.produced_by else "someone"
        return format_html("{}<br>Uploaded by {}.", link, who)
    with document.file.open("rb") as handle:
        check = signature.check_seal(handle.read())
    return format_html(
        "{}<br>Signed electronically by {}, {}, dated {}; recorded {} from IP address {} "
        "(account {}). Consent: “{}”<br><strong>Seal: {}</strong>",
        link,
        record.signer_name,
        record.signer_title,
        f"{record.signed_on:%B} {record.signed_on.day}, {record.signed_on.year}",
        timezone.localtime(record.signed_at).strftime("%B %-d, %Y, %-I:%M %p %Z"),
        record.ip_address or "not known",
        record.signer.email,
        record.consent_text,
        check.reason,
    )


class _ContentInline(admin.TabularInline):
    """Rows of the draft: editable while it is a draft, by people who may change it."""

    extra = 0
    formset = LabelledRowFormSet

    def _editable(self, request, obj):
        return (
            obj is not None
            and obj.is_editable
            and request.user.has_perm("contracts.change_scopeofwork")
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class ActivityInline(_ContentInline):
    model = Activity
    fields = ["order", "title", "description", "start_date", "end_date", "responsible"]


class DeliverableInline(_ContentInline):
    model = Deliverable
    fields = ["order", "title", "due_date", "indicator"]


class CostLineForm(forms.ModelForm):
    """A cost line whose quantity and unit cost are refused, next to the field, below zero."""

    NEGATIVE = "Enter zero or more: a cost line cannot be negative."

    class Meta:
        model = CostLine
        fields = ["order", "description", "quantity", "unit", "unit_cost", "paid_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("quantity", "unit_cost"):
            field = self.fields[name]
            field.min_value = Decimal("0")
            field.widget.attrs["min"] = "0"
            field.validators.append(MinValueValidator(Decimal("0"), message=self.NEGATIVE))


class CostLineInline(_ContentInline):
    model = CostLine
    form = CostLineForm
    fields = ["order", "description", "quantity", "unit", "unit_cost", "paid_by", "amount_display"]
    readonly_fields = ["amount_display"]

    @admin.display(description="amount")
    def amount_display(self, obj):
        return f"${obj.amount:,.2f}" if obj.pk else "Computed on save"


class DocumentInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["number", "kind", "sow_version", "template", "produced_by", "produced_at", "link"]
    readonly_fields = fields

    @admin.display(description="file")
    def link(self, obj):
        url = reverse("contracts:document_download", args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, obj.original_name)


class ChangeInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ContractChange
    extra = 0
    fields = ["at", "happened", "from_status", "to_status", "version_label", "comments"]
    readonly_fields = fields
    verbose_name_plural = "history"

    # Changes that are not transitions, in the words a person reads.
    OTHER_ACTIONS = {
        "edited": "edited the scope of work",
        "negotiation_anticipated": "recorded a negotiation (more business days)",
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description="what happened")
    def happened(self, obj):
        """Who did what, in words: "Riley Chen sent to the agent", never an action code."""
        if obj.action in services.LIFECYCLE:
            verb = services.LIFECYCLE[obj.action].verb
        else:
            verb = self.OTHER_ACTIONS.get(obj.action, obj.action.replace("_", " "))
        who = obj.by.get_full_name() if obj.by else "The portal"
        return f"{who} {verb}"

    @admin.display(description="version")
    def version_label(self, obj):
        """The version the row belongs to; a sent version links to what changed since the last."""
        label = f"Version {obj.version}"
        if obj.action == "send_to_agent" and obj.version > 1:
            url = reverse(
                "admin:contracts_scopeofwork_compare", args=[obj.scope_of_work_id, obj.version]
            )
            return format_html(
                '{} — <a href="{}">what changed from version {}</a>', label, url, obj.version - 1
            )
        return label


class ExecuteForm(DescribedErrorsMixin, forms.Form):
    error_id_suffix = "-errors"

    signed_copy = forms.FileField(
        label="Signed copy (PDF or Word)",
        widget=forms.ClearableFileInput(
            attrs={"accept": files.accept_attribute(files.SIGNED_COPY_TYPES)}
        ),
        required=False,
        help_text="Leave empty to execute from the signed copy the LEA returned in the portal; "
        "upload one when the signed agreement came back another way.",
    )
    executed_on = forms.DateField(
        label="Date executed", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_signed_copy(self):
        # The checks every upload passes (core.files), shown next to the field.
        upload = self.cleaned_data["signed_copy"]
        if upload is None:  # executed from the copy the LEA returned in the portal
            return None
        files.check_upload(upload, types=files.SIGNED_COPY_TYPES)
        upload.seek(0)
        return upload


class NegotiationForm(DescribedErrorsMixin, forms.Form):
    error_id_suffix = "-errors"

    reason = forms.CharField(
        label="Why negotiation is anticipated", widget=forms.Textarea(attrs={"rows": 4})
    )
    extra_business_days = forms.IntegerField(
        label="Extension (business days)", min_value=1, max_value=60, initial=5
    )


@admin.register(ScopeOfWork)
class ScopeOfWorkAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "lea_name",
        "status",
        "version",
        "approved_at",
        "due_date",
        "days_left",
        "negotiation_anticipated",
    ]
    list_filter = ["status", "negotiation_anticipated", "cost_basis"]
    search_fields = ["request__reference", "request__lea__name", "request__lea__cds_code"]
    list_select_related = ["request__lea"]
    inlines = [ActivityInline, DeliverableInline, CostLineInline, DocumentInline, ChangeInline]
    # The status buttons, the actions on a selection and their pages come from the lifecycle.
    lifecycle = services.LIFECYCLE
    transition_forms = {"execute": ExecuteForm}
    reason_field_name = "comments"
    reason_error_id_suffix = "-errors"
    change_form_template = "admin/contracts/scopeofwork/change_form.html"
    parties_fields = [
        "agent_name",
        "lea_legal_name",
        "signatory_name",
        "signatory_title",
        "signatory_email",
        "background",
        "statutory_basis",
        "systemic_review",
    ]
    need_fields = ["problem_of_practice", "theory_of_action", "goals", "indicators"]
    method_fields = [
        "assistance_method",
        "provider",
        "schools_in_scope",
        "roles",
        "term_start",
        "term_end",
        "term_reason",
    ]
    cost_fields = ["cost_basis", "cost_sharing_parties", "funding_terms"]
    content_fields = [*parties_fields, *need_fields, *method_fields, *cost_fields]
    clock_fields = [
        "request_link",
        "status",
        "version",
        "approved_at",
        "due_date",
        "days_left",
        "negotiation_anticipated",
        "negotiation_reason",
        "extension_business_days",
        "revision_comments",
        "agent_approved_by",
        "agent_approved_at",
        "sent_to_lea_at",
        "executed_on",
        "returned_copy",
        "versions_link",
        "cost_total",
    ]
    fieldsets = [
        ("Agreement", {"fields": clock_fields}),
        ("Parties and background", {"fields": parties_fields}),
        ("Problem, theory of action and indicators", {"fields": need_fields}),
        ("Method, schools, roles and term", {"fields": method_fields}),
        ("Costs", {"fields": cost_fields}),
    ]

    def has_add_permission(self, request):
        return False  # drafted on approval only

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = (
            obj is not None
            and obj.is_editable
            and request.user.has_perm("contracts.change_scopeofwork")
        )
        return self.clock_fields + ([] if editable else self.content_fields)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("request__lea", "agent_approved_by")

    @admin.display(description="reference", ordering="request__reference")
    def reference(self, obj):
        return obj.request.reference

    @admin.display(description="LEA", ordering="request__lea__name")
    def lea_name(self, obj):
        return obj.request.lea.name

    @admin.display(description="request")
    def request_link(self, obj):
        return f"{obj.request.reference} — {obj.request.lea.name} ({obj.request.lea.cds_code})"

    @admin.display(description="days left")
    def days_left(self, obj):
        text = getattr(obj, "days_left_text", None)
        return text if text is not None else days_left_text(obj)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # One read of the closures for the page: each row's count uses the same set.
        today = timezone.localdate()
        closures = closures_between(today - timedelta(days=365), today + timedelta(days=365))
        for sow in changelist.result_list:
            sow.days_left_text = days_left_text(sow, today, closures)
        return changelist

    @admin.display(description="signed copy returned by the LEA")
    def returned_copy(self, obj):
        return returned_copy_html(obj)

    @admin.display(description="versions")
    def versions_link(self, obj):
        if obj.version < 2:
            return "Version 1 only"
        url = reverse("admin:contracts_scopeofwork_compare", args=[obj.pk, obj.version])
        return format_html(
            '<a href="{}">What changed from version {} to version {}</a>',
            url,
            obj.version - 1,
            obj.version,
        )

    @admin.display(description="total")
    def cost_total(self, obj):
        total = sum((line.amount for line in obj.cost_lines.all()), Decimal("0.00"))
        return f"${total:,.2f}"

    def save_model(self, request, obj, form, change):
        # Only a draft's content is editable; every other field is read-only and set by services.
        if obj.is_editable:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not (change and form.instance.is_editable):
            return
        changed = [str(form.fields[name].label or name) for name in form.changed_data]
        changed += [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        services.scope_of_work_record_edit(
            scope_of_work=form.instance, by=request.user, changed=changed
        )

    # --- transitions ------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="contracts_dashboard"),
            *self.get_lifecycle_urls(),
            path(
                "<int:object_id>/negotiation/",
                wrap(self.negotiation_view),
                name="contracts_scopeofwork_negotiation",
            ),
            path(
                "<int:object_id>/generate/",
                wrap(self.generate_view),
                name="contracts_scopeofwork_generate",
            ),
            path(
                "<int:object_id>/versions/<int:version>/compare/",
                wrap(self.compare_view),
                name="contracts_scopeofwork_compare",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sow = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if sow is not None:
            extra_context["transitions"] = self.lifecycle_buttons(request, sow)
            extra_context["problems"] = (
                services.scope_of_work_problems(sow) if sow.is_editable else []
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_done_message(self, obj, transition) -> str:
        return f"Done: {transition.label.lower()} ({obj.request.reference})."

    def transition_summary(self, obj) -> str:
        summary = (
            f"{obj.request.reference}: {obj.request.lea.name}, scope of work version "
            f"{obj.version}, {obj.get_status_display().lower()}; agreement due "
            f"{obj.due_date:%A, %B %-d, %Y}"
        )
        returned = services.returned_signed_copy(obj) if obj.status == S.SIGNED_BY_LEA else None
        if returned is not None:
            summary += f"; signed copy returned by the LEA: {returned.original_name}"
        return summary

    def _get_for_action(self, request, object_id):
        sow = self.get_object(request, str(object_id))
        if sow is None or not self.has_view_permission(request, sow):
            raise PermissionDenied
        return sow

    def negotiation_view(self, request, object_id):
        sow = self._get_for_action(request, object_id)
        change_url = reverse("admin:contracts_scopeofwork_change", args=[sow.pk])
        form = NegotiationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.scope_of_work_record_negotiation(
                    scope_of_work=sow, by=request.user, **form.cleaned_data
                )
            except services.ContractRefused as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, "The anticipated negotiation is recorded.")
                return HttpResponseRedirect(change_url)
        return self.intermediate_page(
            request,
            label="Record the extension",
            name="negotiation",
            form=form,
            objects=[sow],
            single=True,
        )

    def generate_view(self, request, object_id):
        sow = self._get_for_action(request, object_id)
        if request.method != "POST":
            raise PermissionDenied
        try:
            document = services.agreement_document_generate(scope_of_work=sow, by=request.user)
        except services.ContractRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request, f"Generated {document.original_name} (document #{document.number})."
            )
        return HttpResponseRedirect(reverse("admin:contracts_scopeofwork_change", args=[sow.pk]))

    def compare_view(self, request, object_id, version):
        """What changed from version n-1 to version n: activities, deliverables, costs, text."""
        sow = self._get_for_action(request, object_id)
        if not 2 <= version <= sow.version:
            raise Http404
        snapshots = {
            s.version: s.content
            for s in ScopeOfWorkSnapshot.objects.filter(
                scope_of_work=sow, version__in=[version - 1, version]
            )
        }
        if version == sow.version and version not in snapshots:
            full = selectors.scope_of_work_full(sow.pk)
            snapshots[version] = versions.snapshot(full)  # the draft not yet sent
        if version - 1 not in snapshots or version not in snapshots:
            raise Http404
        comparison = versions.compare(snapshots[version - 1], snapshots[version])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": sow,
            "title": f"{sow.request.reference}: what changed from version {version - 1} "
            f"to version {version}",
            "comparison": comparison,
            "live": version == sow.version and sow.is_editable,
            "change_url": reverse("admin:contracts_scopeofwork_change", args=[sow.pk]),
        }
        return TemplateResponse(request, "admin/contracts/scopeofwork/compare.html", context)

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Contracts dashboard",
            **selectors.contracts_dashboard(),
        }
        return TemplateResponse(request, "admin/contracts/dashboard.html", context)


class TemplateUploadForm(forms.ModelForm):
    upload = forms.FileField(
        label="Template (.docx)",
        help_text="A Word document with Jinja fields, as the built-in default shows. It is "
        "rendered with sample data before it is kept; one that fails is refused with the reason.",
    )

    class Meta:
        model = AgreementTemplate
        fields = ["notes"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        checked = files.check_upload(upload, types=files.TEMPLATE_TYPES)  # as every upload
        try:
            check_template(checked.read())
        except TemplateRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["version", "original_name", "uploaded_by", "uploaded_at", "download"]
    list_select_related = ["uploaded_by"]
    form = TemplateUploadForm
    readonly_fields = ["version", "original_name", "sha256", "size", "uploaded_by", "uploaded_at"]
    change_list_template = "admin/contracts/agreementtemplate/change_list.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "notes"]
        return [*self.readonly_fields, "notes", "download"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.readonly_fields, "notes", "download"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        form.cleaned_data["upload"].seek(0)
        saved = services.agreement_template_upload(
            upload=form.cleaned_data["upload"], by=request.user, notes=obj.notes
        )
        obj.pk = saved.pk
        obj.version = saved.version

    @admin.display(description="file")
    def download(self, obj):
        url = reverse("admin:contracts_agreementtemplate_download", args=[obj.pk])
        return format_html('<a href="{}">Download v{}</a>', url, obj.version)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/download/",
                wrap(self.download_view),
                name="contracts_agreementtemplate_download",
            ),
            path("default/", wrap(self.default_view), name="contracts_agreementtemplate_default"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        template = get_object_or_404(AgreementTemplate, pk=pk)
        with template.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="agreement-template-v{template.version}.docx"'
        )
        return response

    def default_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(default_template_bytes(), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="agreement-template-default.docx"'
        return response


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Generated by the services, or uploaded when execution is recorded."""

    list_display = [
        "original_name",
        "scope_of_work",
        "number",
        "kind",
        "produced_by",
        "produced_at",
        "link",
    ]
    list_filter = ["kind"]
    list_select_related = ["scope_of_work__request", "produced_by"]
    search_fields = ["scope_of_work__request__reference", "original_name"]

    @admin.display(description="file")
    def link(self, obj):
        url = reverse("contracts:document_download", args=[obj.pk])
        return format_html('<a href="{}">Download</a>', url)


@admin.register(ContractChange)
class ContractChangeAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "scope_of_work", "action", "from_status", "to_status", "version", "by"]
    list_filter = ["action", "to_status"]
    list_select_related = ["scope_of_work__request", "by"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "created_by", "created_at"]
    fields = ["date", "name"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
