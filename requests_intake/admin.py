"""The CCEE admin: the LEA directory and membership approvals (requests' admin in admin_*.py)."""

from django.contrib import admin, messages
from django.db.models import Count, Q

from accounts import services as account_services

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
        qs = super().get_queryset(request)
        return qs.annotate(pending_first=Count("pk", filter=Q(status="pending"))).order_by(
            "-pending_first", "-requested_at"
        )

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            account_services.membership_decide(
                memberships=[obj],
                by=request.user,
                approve=obj.status == LeaMembership.Status.APPROVED,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve the selected memberships", permissions=["change"])
    def approve(self, request, queryset):
        changed = account_services.membership_decide(
            memberships=list(queryset), by=request.user, approve=True
        )
        self.message_user(
            request,
            f"{changed} membership(s) approved; {queryset.count() - changed} already were.",
            messages.SUCCESS,
        )

    @admin.action(description="Reject the selected memberships", permissions=["change"])
    def reject(self, request, queryset):
        changed = account_services.membership_decide(
            memberships=list(queryset), by=request.user, approve=False
        )
        self.message_user(
            request,
            f"{changed} membership(s) rejected; {queryset.count() - changed} already were.",
            messages.SUCCESS,
        )
