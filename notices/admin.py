"""The notices admin: every outbox row with its delivery status, and a resend action for leads.

Reviewers see the list (view permission); only leads (notices.resend_notice) can put a failed
or stuck notice back in the outbox. Nobody adds, edits or deletes a notice by hand.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from core.admin_mixins import ViewOnlyAdminMixin

from . import registry, services
from .models import Notice

CONFIDENTIAL_BODY = "Not shown: it holds the person's own sign-in link."


class DeliveryFilter(admin.SimpleListFilter):
    """Filter by what a person needs to act on: failed, or pending for too long."""

    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("needs_attention", "Failed, or pending too long"),
            ("retrying", "Waiting to retry after a mail-server error"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "needs_attention":
            stuck = queryset.stuck(
                now=now, older_than=timedelta(seconds=settings.NOTICE_STUCK_AFTER_SECONDS)
            )
            return queryset.filter(status=Notice.Status.FAILED) | stuck
        if self.value() == "retrying":
            return queryset.pending().filter(next_attempt_at__gt=now)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """Filter by kind, named as the app that registers it names it."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return registry.choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notice)
class NoticeAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "status_label",
        "kind_label",
        "recipient_email",
        "request_link",
        "attempts",
        "duplicate_flag",
        "error",
        "sent_at",
    ]
    list_filter = ["status", DeliveryFilter, KindFilter, "possible_duplicate", "created_at"]
    search_fields = ["recipient_email", "request__reference", "subject", "key"]
    list_select_related = ["request"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "status",
        "kind_label",
        "request",
        "recipient_email",
        "recipient",
        "subject",
        "attempts",
        "duplicate_flag",
        "last_error",
        "created_at",
        "last_enqueued_at",
        "attempt_started_at",
        "next_attempt_at",
        "sent_at",
        "key",
        "body",
    ]
    readonly_fields = fields
    list_per_page = 100

    def has_resend_permission(self, request):
        return request.user.has_perm("notices.resend_notice")

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        # Words, not only a colour: "Failed" reads the same to everyone.
        if obj.status == Notice.Status.PENDING and obj.next_attempt_at:
            return "Pending (retrying)"
        return obj.get_status_display()

    @admin.display(description="possible duplicate", ordering="possible_duplicate")
    def duplicate_flag(self, obj):
        # An earlier attempt died without an outcome, perhaps after the mail server accepted it.
        if obj.possible_duplicate:
            return f"Possible duplicate ({obj.attempts} attempts)"
        return "—"

    @admin.display(description="kind", ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label

    @admin.display(description="request", ordering="request__reference")
    def request_link(self, obj):
        if obj.request_id is None:
            return "—"
        opts = obj.request._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.request_id])
        return format_html('<a href="{}">{}</a>', url, obj.request.reference or obj.request_id)

    @admin.display(description="last error")
    def error(self, obj):
        return Truncator(obj.last_error).chars(80) if obj.last_error else "—"

    @admin.display(description="body text")
    def body(self, obj):
        kind = registry.find(obj.kind)
        if kind is not None and kind.confidential:
            return CONFIDENTIAL_BODY
        return obj.body_text

    @admin.action(description="Resend the selected failed or stuck notices", permissions=["resend"])
    def resend(self, request, queryset):
        resent, left = services.notice_resend(
            notice_ids=queryset.values_list("pk", flat=True), by=request.user
        )
        self.message_user(
            request,
            f"{resent} notice(s) put back in the outbox for delivery"
            + (f"; {left} already sent and left alone." if left else "."),
            messages.SUCCESS,
        )
