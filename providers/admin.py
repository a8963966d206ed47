"""The registry in the reviewers' admin: vetting through lifecycle buttons, notes, conflicts,
people, history, assignments and the record of success on the provider's page."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join

from core.admin_lifecycle import LifecycleAdminMixin
from core.admin_mixins import ViewOnlyAdminMixin

from . import permissions as perms
from . import selectors, services, taxonomy
from .models import (
    Provider,
    ProviderAssignment,
    ProviderChange,
    ProviderConflict,
    ProviderMember,
    VettingNote,
)


def _checkboxes(choices, label):
    return forms.MultipleChoiceField(
        choices=choices, label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


class ProviderAdminForm(forms.ModelForm):
    expertise = _checkboxes(taxonomy.EXPERTISE_CHOICES, "Expertise")
    grade_spans = _checkboxes(taxonomy.GRADE_SPANS, "Grade spans")
    counties = _checkboxes(taxonomy.COUNTIES, "Counties served")
    languages = _checkboxes(taxonomy.LANGUAGES, "Languages")
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = [
            "kind",
            "name",
            "lea",
            "summary",
            "website",
            "contact_email",
            "references",
            "expertise",
            "grade_spans",
            "statewide",
            "counties",
            "languages",
            "capacity",
            "public_listing",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Provider.Kind.LEA and not cleaned.get("lea"):
            self.add_error("lea", "A district-to-district provider names the LEA offering help.")
        return cleaned


class VettingNoteInline(admin.StackedInline):
    """Reviewers' notes against seed 004's criteria: added here, never edited, never shown to
    the provider or LEA staff."""

    model = VettingNote
    extra = 1
    fields = ["criterion", "text", "author", "at"]
    readonly_fields = ["author", "at"]
    verbose_name = "vetting note (CCEE only)"
    verbose_name_plural = "vetting notes (CCEE only: never shown to the provider or LEA staff)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "provider")

    def has_view_permission(self, request, obj=None):
        return perms.can_see_vetting_notes(request.user)

    def has_add_permission(self, request, obj=None):
        return bool(perms.can_vet(request.user)) and request.user.has_perm(
            "providers.add_vettingnote"
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _AddOnlyInline(admin.StackedInline):
    """The one form that adds a row (its LEA or person by id); the saved rows are listed by the
    inline after it, whose names come with the rows (no query per row)."""

    extra = 1
    max_num = 1

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProviderConflictAddInline(_AddOnlyInline):
    model = ProviderConflict
    fields = ["lea", "kind", "description"]
    raw_id_fields = ["lea"]
    verbose_name = "new declared conflict of interest"
    verbose_name_plural = "declare a conflict of interest"


class ProviderConflictInline(admin.StackedInline):
    model = ProviderConflict
    extra = 0
    fields = ["lea", "kind", "description", "declared_at"]
    readonly_fields = ["lea", "declared_at"]
    verbose_name_plural = "declared conflicts of interest"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lea", "provider")

    def has_add_permission(self, request, obj=None):
        return False


class ProviderMemberAddInline(_AddOnlyInline):
    model = ProviderMember
    fields = ["user", "role"]
    raw_id_fields = ["user"]
    verbose_name = "new person who signs in for the provider"
    verbose_name_plural = "add a person who signs in for the provider"


class ProviderMemberInline(admin.StackedInline):
    model = ProviderMember
    extra = 0
    fields = ["user", "role", "added_at"]
    readonly_fields = ["user", "added_at"]
    verbose_name_plural = "people who sign in for the provider"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "provider")

    def has_add_permission(self, request, obj=None):
        return False


class ProviderChangeInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ProviderChange
    extra = 0
    fields = ["at", "action", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "provider")


class ProviderAssignmentInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ProviderAssignment
    extra = 0
    fields = [
        "scope_of_work",
        "engagement",
        "role",
        "days_committed",
        "assigned_by",
        "assigned_at",
        "ended_at",
        "end_reason",
    ]
    readonly_fields = fields
    verbose_name_plural = "assignments"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "provider", "scope_of_work__request", "engagement__request", "assigned_by"
            )
        )


@admin.register(Provider)
class ProviderAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    form = ProviderAdminForm
    lifecycle = services.LIFECYCLE
    change_form_template = "admin/providers/provider/change_form.html"
    list_display = ["name", "kind", "status", "load", "capacity", "applied_at", "listed"]
    list_filter = ["status", "kind", "statewide", "public_listing"]
    search_fields = ["name", "contact_email", "lea__name", "summary"]
    list_select_related = ["lea"]
    raw_id_fields = ["lea"]
    readonly_fields = ["status", "public_consent", "applied_at", "approved_at", "record_of_success"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "lea", "status", "applied_at", "approved_at"]}),
        ("Experience", {"fields": ["summary", "website", "contact_email", "references"]}),
        ("Expertise", {"fields": ["expertise"]}),
        (
            "Reach and capacity",
            {"fields": ["grade_spans", "statewide", "counties", "languages", "capacity"]},
        ),
        ("Public directory", {"fields": ["public_listing", "public_consent"]}),
        ("Record of success", {"fields": ["record_of_success"]}),
    ]
    inlines = [
        VettingNoteInline,
        ProviderMemberAddInline,
        ProviderMemberInline,
        ProviderConflictAddInline,
        ProviderConflictInline,
        ProviderAssignmentInline,
        ProviderChangeInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_load()

    def has_add_permission(self, request):
        # A lead registers a provider (an LEA offering district-to-district help, say).
        return request.user.has_perm("providers.add_provider")

    def has_delete_permission(self, request, obj=None):
        return False  # a provider leaves the registry by being removed, with a reason

    @admin.display(description="engagements in progress", ordering="active_engagements")
    def load(self, obj):
        return obj.active_engagements

    @admin.display(description="in the public directory", boolean=True)
    def listed(self, obj):
        return obj.is_listed_publicly

    @admin.display(description="completed engagements, outcomes against targets")
    def record_of_success(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = selectors.record_of_success(obj)
        if not rows:
            return "No completed engagement yet."
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> ({}): {}</p>',
            (
                (
                    reverse("admin:engagements_engagement_change", args=[r["engagement"].pk]),
                    r["engagement"].request.reference,
                    r["engagement"].request.lea.name,
                    _outcomes(r["indicators"]),
                )
                for r in rows
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.provider_registered(provider=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, VettingNote) and instance.pk is None:
                services.vetting_note_add(
                    provider=form.instance,
                    by=request.user,
                    criterion=instance.criterion,
                    text=instance.text,
                )
            elif isinstance(instance, ProviderMember) and instance.pk is None:
                services.member_add(
                    provider=form.instance, user=instance.user, role=instance.role, by=request.user
                )
            else:
                instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        provider = self.get_object(request, object_id)
        if provider is not None:
            extra_context["transitions"] = self.lifecycle_buttons(request, provider)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [*self.get_lifecycle_urls(), *super().get_urls()]


def _outcome(row) -> str:
    indicator, met = row["indicator"], row["met"]
    words = {True: "target met", False: "target not met", None: "no final value"}
    final = "—" if indicator.final_value is None else indicator.final_value
    return f"{indicator.name}: {final} against {indicator.target_value} ({words[met]})"


def _outcomes(indicators) -> str:
    return "; ".join(_outcome(row) for row in indicators) or "no indicator"
