"""The CCEE admin: the LEA directory and membership approvals (requests' admin in admin_*.py)."""

from django.contrib import admin
from django.db.models import Case, Value, When
from django.utils import formats, timezone

from core.admin_lifecycle import LifecycleAdminMixin
from core.admin_mixins import ViewOnlyAdminMixin
from core.phone import PhoneAdminMixin

from . import memberships
from .models import LeaMembership, LocalEducationalAgency, MembershipChange


@admin.register(LocalEducationalAgency)
class LocalEducationalAgencyAdmin(PhoneAdminMixin, admin.ModelAdmin):
    list_display = ["name", "cds_code", "lea_type", "county", "status", "email_domain"]
    list_filter = ["lea_type", "status", "county"]
    search_fields = ["name", "cds_code", "email_domain"]
    ordering = ["name"]


def pacific(value) -> str:
    """Return a time as people read it, in Pacific time ("Dec 1, 2026, 3:06 PM PST")."""
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "M j, Y, g:i A T")


def person(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else "—"


# How the history names the events that are not a reviewer's decision on the status.
MEMBERSHIP_EVENTS = {
    "designate_lead": "made this member the LEA's designated lead contact",
    "remove_lead": "ended this member's designation as the LEA's lead contact",
    memberships.REPLACED_AS_LEAD: "made another member the LEA's lead contact",
    "admit": "admitted the colleague they invited, as the LEA's lead contact",
}


class MembershipChangeInline(ViewOnlyAdminMixin, admin.TabularInline):
    """The membership's history: when (Pacific time), who did what, and why."""

    model = MembershipChange
    extra = 0
    fields = ["when", "what_happened", "reason"]
    readonly_fields = fields
    verbose_name = "decision"
    verbose_name_plural = "history: decisions on this membership"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description="when (Pacific time)")
    def when(self, obj):
        return pacific(obj.at)

    @admin.display(description="what happened")
    def what_happened(self, obj):
        if obj.event:
            return f"{person(obj.by)}: {MEMBERSHIP_EVENTS.get(obj.event, obj.event)}"
        verb = {
            LeaMembership.Status.APPROVED: "approved",
            LeaMembership.Status.REJECTED: "rejected",
        }.get(obj.to_status, f"changed to {obj.get_to_status_display().lower()}")
        was = obj.get_from_status_display().lower()
        return f"{person(obj.by)} {verb} the membership (it was {was})"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("requests_intake.view_leamembership")


@admin.register(LeaMembership)
class LeaMembershipAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    """Membership approvals: the applicant's email domain is shown against the LEA's.

    Approve and reject (buttons, actions on a selection) come from the membership lifecycle.
    """

    lifecycle = memberships.LIFECYCLE
    change_form_template = "admin/requests_intake/leamembership/change_form.html"
    inlines = [MembershipChangeInline]

    list_display = [
        "user_email",
        "lea_shown",
        "status",
        "applicant_domain",
        "lea_domain",
        "domain_check",
        "requested",
        "decided_by_name",
        "is_lead_contact",
    ]
    list_filter = ["status", "is_lead_contact", "lea__lea_type"]
    search_fields = ["user__email", "user__full_name", "lea__name", "lea__cds_code"]
    list_select_related = ["user", "lea", "decided_by"]
    # The status changes only through the decisions (the buttons above the form).
    fields = [
        "applicant",
        "lea_shown",
        "status",
        "is_lead_contact",
        "requested",
        "decided_by_name",
        "decided",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="applicant", ordering="user__email")
    def user_email(self, obj):
        return f"{obj.user.get_full_name()} <{obj.user.email}>"

    @admin.display(description="applicant")
    def applicant(self, obj):
        return self.user_email(obj)

    @admin.display(description="LEA", ordering="lea__name")
    def lea_shown(self, obj):
        return f"{obj.lea.name} (CDS {obj.lea.cds_code})"

    @admin.display(description="requested (Pacific time)")
    def requested(self, obj):
        return pacific(obj.requested_at)

    @admin.display(description="decided by")
    def decided_by_name(self, obj):
        return person(obj.decided_by)

    @admin.display(description="decided (Pacific time)")
    def decided(self, obj):
        return pacific(obj.decided_at)

    @admin.display(description="applicant's domain")
    def applicant_domain(self, obj):
        return obj.user.email_domain

    @admin.display(description="LEA's domain")
    def lea_domain(self, obj):
        return obj.lea.email_domain or "—"

    @admin.display(description="domains")
    def domain_check(self, obj):
        if not obj.lea.email_domain:
            return "LEA domain unknown"
        return "Match" if obj.domain_matches else "DIFFERENT: check before approving"

    def get_queryset(self, request):
        pending = LeaMembership.Status.PENDING
        return LeaMembership.objects.annotate(
            pending_rank=Case(When(status=pending, then=Value(0)), default=Value(1)),
        ).order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Pending applications first (they wait on a reviewer), newest first within each group.
        return ["pending_rank", "-requested_at", "-pk"]

    def get_urls(self):
        return [*self.get_lifecycle_urls(), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        membership = self.get_object(request, object_id)
        if membership is not None:
            extra_context["transitions"] = self.lifecycle_buttons(request, membership)
        return super().change_view(request, object_id, form_url, extra_context)


# The reviewers' admin (requests, notes, dashboard) registers on import.
from . import admin_requests  # noqa: E402, F401
