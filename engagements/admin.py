"""The reviewers' side of engagements in the admin: the engagement page with its charts and
lifecycle buttons, report feedback, the seed-004 check, the portfolio and the agent's board."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from core.admin_lifecycle import LifecycleAdminMixin
from core.admin_mixins import ViewOnlyAdminMixin

from . import permissions as perms
from . import selectors, services
from .models import (
    DeliverableStatus,
    Engagement,
    Measurement,
    ProblemOfPractice,
    ProgressReport,
    ReportAttachment,
)


@admin.register(Engagement)
class EngagementAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "lea_name", "status", "method", "start_date", "end_date"]
    list_filter = ["status", "method", "success_story"]
    search_fields = ["request__reference", "request__lea__name"]
    list_select_related = ["request__lea"]
    lifecycle = services.LIFECYCLE
    change_form_template = "admin/engagements/engagement/change_form.html"
    editable_fields = ["method", "provider_name", "intensity_amount", "intensity_unit"]
    fields = [
        "request",
        "agreement",
        "status",
        *editable_fields,
        "start_date",
        "end_date",
        "activated_on",
        "ended_on",
        "success_story",
        "success_story_consent_at",
    ]
    actions = ["mark_success_story", "remove_success_story"]

    def has_add_permission(self, request):
        return False  # opened when an agreement is executed

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f for f in self.fields if f not in self.editable_fields]

    @admin.display(description="reference", ordering="request__reference")
    def reference(self, obj):
        return obj.request.reference

    @admin.display(description="LEA", ordering="request__lea__name")
    def lea_name(self, obj):
        return obj.request.lea.name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        engagement = self.get_object(request, object_id)
        if engagement is not None:
            extra_context.update(selectors.engagement_page(engagement, timezone.localdate()))
            extra_context["transitions"] = self.lifecycle_buttons(request, engagement)
            extra_context["admin_view"] = True
            extra_context["activation_problems"] = (
                services.activation_problems(engagement)
                if engagement.status == Engagement.Status.SETUP
                else []
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _mark(self, request, queryset, marked):
        for engagement in queryset:
            try:
                services.success_story_mark(engagement=engagement, by=request.user, marked=marked)
            except services.EngagementRefused as refused:
                self.message_user(request, f"{engagement}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{engagement}: done.", messages.SUCCESS)

    @admin.action(description="Mark as a success story (needs the LEA's consent)")
    def mark_success_story(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description="Remove from the success stories")
    def remove_success_story(self, request, queryset):
        self._mark(request, queryset, False)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("portfolio/", wrap(self.portfolio_view), name="engagements_portfolio"),
            path("deliverables/", wrap(self.deliverables_view), name="engagements_deliverables"),
            *self.get_lifecycle_urls(),
            *super().get_urls(),
        ]

    def portfolio_view(self, request):
        """Every running engagement: next report due, late ones, off-track indicators, end near."""
        if not request.user.has_perm(perms.STAFF_VIEW):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Engagement portfolio",
            **selectors.portfolio(timezone.localdate(), page=request.GET.get("page")),
        }
        return TemplateResponse(request, "admin/engagements/portfolio.html", context)

    def deliverables_view(self, request):
        """The deliverables' latest status per engagement (the agent's view: no narratives)."""
        if not request.user.has_perm(perms.DELIVERABLES):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Deliverable status of the engagements",
            "board": selectors.deliverable_board(),
        }
        return TemplateResponse(request, "admin/engagements/deliverables.html", context)


class MeasurementInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = Measurement
    fields = ["indicator", "value", "measured_on", "note"]
    readonly_fields = fields
    extra = 0


class DeliverableStatusInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = DeliverableStatus
    fields = ["deliverable", "state", "note"]
    readonly_fields = fields
    extra = 0


class AttachmentInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ReportAttachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "engagement", "status", "due_date", "submitted_at"]
    list_filter = ["status", "is_final"]
    list_select_related = ["engagement__request"]
    search_fields = ["engagement__request__reference"]
    lifecycle = services.REPORT_LIFECYCLE
    lifecycle_names = ["accept", "return"]
    reason_field_name = "feedback"
    change_form_template = "admin/engagements/progressreport/change_form.html"
    fields = [
        "engagement",
        "number",
        "is_final",
        "period_start",
        "period_end",
        "due_date",
        "status",
        "done",
        "struggling",
        "changes",
        "submitted_by",
        "submitted_at",
        "feedback",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = fields
    inlines = [MeasurementInline, DeliverableStatusInline, AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # feedback and returns go through the buttons

    def get_urls(self):
        return [*self.get_lifecycle_urls(), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        report = self.get_object(request, object_id)
        if report is not None:
            extra_context["transitions"] = self.lifecycle_buttons(request, report)
        return super().change_view(request, object_id, form_url, extra_context)


class ProblemCheckAdminForm(forms.ModelForm):
    class Meta:
        model = ProblemOfPractice
        fields = ["of_interest", "workable", "important", "check_note"]

    def clean(self):
        data = super().clean()
        passed = data.get("of_interest") and data.get("workable") and data.get("important")
        if not passed and not (data.get("check_note") or "").strip():
            self.add_error("check_note", "Say what the problem of practice lacks.")
        return data


@admin.register(ProblemOfPractice)
class ProblemOfPracticeAdmin(admin.ModelAdmin):
    """A reviewer checks a version against seed 004's three tests (the text is the LEA's)."""

    form = ProblemCheckAdminForm

    list_display = ["__str__", "engagement", "at", "checked_at"]
    list_select_related = ["engagement__request"]
    fields = [
        "engagement",
        "number",
        "text",
        "reason",
        "by",
        "at",
        "of_interest",
        "workable",
        "important",
        "check_note",
        "checked_by",
        "checked_at",
    ]
    readonly_fields = [
        "engagement",
        "number",
        "text",
        "reason",
        "by",
        "at",
        "checked_by",
        "checked_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(perms.CHECK_PROBLEM)

    def save_model(self, request, obj, form, change):
        try:
            services.problem_of_practice_check(
                version=obj,
                by=request.user,
                of_interest=bool(obj.of_interest),
                workable=bool(obj.workable),
                important=bool(obj.important),
                note=obj.check_note,
            )
        except services.EngagementRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
