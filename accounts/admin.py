from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.phone import PhoneAdminMixin

from . import mfa
from .models import User


@admin.register(User)
class UserAdmin(PhoneAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "role_list",
        "last_login",
        "mfa_enrolled_at",
    ]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "email_verified_at", "mfa_enrolled_at"]
    actions = ["reset_two_step_sign_in"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "phone", "email_verified_at"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Two-step sign-in", {"fields": ["mfa_enrolled_at"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def role_list(self, obj):
        return ", ".join(g.name for g in obj.groups.all())

    def has_reset_mfa_permission(self, request):
        return request.user.has_perm("accounts.reset_mfa")

    @admin.action(
        description="Reset two-step sign-in (the person sets it up again)",
        permissions=["reset_mfa"],
    )
    def reset_two_step_sign_in(self, request, queryset):
        people = list(queryset.exclude(pk=request.user.pk))
        for person in people:
            mfa.mfa_reset(user=person, by=request.user)
            self.log_change(request, person, "Reset two-step sign-in.")
        if len(people) < queryset.count():
            self.message_user(
                request, "Your own two-step sign-in is reset by another lead.", level="warning"
            )
        self.message_user(request, f"Two-step sign-in reset for {len(people)} people.")
