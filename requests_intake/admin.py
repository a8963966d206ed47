"""The CCEE admin: the LEA directory and membership approvals (requests' admin in admin_*.py)."""

from django.contrib import admin, messages
from django.db.models import Case, Value, When

from .memberships import membership_decide
from .models import LeaMembership, LocalEducationalAgency


@admin.register(LocalEducationalAgency)
class LocalEducationalAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "cds_code", "lea_type", "county", "status", "email_domain"]
    list_filter = ["lea_type", "status", "county"]
    search_fields = ["name", "cds_code", "email_domain"]
    ordering = ["name"]


@admin.register(LeaMembership)
class LeaMembershipAdmin(admin.ModelAdmin):
    """Membership approvals: the applicant's email domain is shown against the LEA's."""

    list_display = [
        "user_email",
        "lea",
        "status",
        "applicant_domain",
        "lea_domain",
        "domain_check",
        "requested_at",
        "decided_by",
    ]
    list_filter = ["status", "lea__lea_type"]
    search_fields = ["user__email", "user__full_name", "lea__name", "lea__cds_code"]
    list_select_related = ["user", "lea", "decided_by"]
    actions = ["approve", "reject"]
    readonly_fields = ["user", "lea", "requested_at", "decided_by", "decided_at"]
    fields = ["user", "lea", "status", "requested_at", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="applicant", ordering="user__email")
    def user_email(self, obj):
        return f"{obj.user.get_full_name()} <{obj.user.email}>"

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

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            membership_decide(
                memberships=[obj],
                by=request.user,
                approve=obj.status == LeaMembership.Status.APPROVED,
            )
            return
        super().save_model(request, obj, form, change)

    def _decide(self, request, queryset, approve: bool):
        """Approve or reject the selection, reporting who changed and who already had."""
        target = LeaMembership.Status.APPROVED if approve else LeaMembership.Status.REJECTED
        verb = "approved" if approve else "rejected"
        memberships = list(queryset.select_related("user", "lea").order_by("pk"))
        already = [m for m in memberships if m.status == target]
        to_change = [m for m in memberships if m.status != target]
        changed = membership_decide(memberships=to_change, by=request.user, approve=approve)
        if to_change:
            names = ", ".join(f"{m.user.email} ({m.lea.name})" for m in to_change)
            self.message_user(request, f"{changed} {verb}: {names}.", messages.SUCCESS)
        for membership in already:
            self.message_user(
                request,
                f"Skipped {membership.user.email} ({membership.lea.name}): already {verb}.",
                messages.WARNING,
            )

    @admin.action(description="Approve the selected memberships", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject the selected memberships", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)


# The reviewers' admin (requests, notes, dashboard) registers on import.
from . import admin_requests  # noqa: E402, F401
