"""The reporting admin: initiatives, goals and definitions per year, key results, the records
(read-only: they come from imports and the portal's work), the report and the import pages."""

from functools import partial

from django.contrib import admin
from django.urls import path
from django.utils import timezone

from core.admin_mixins import ViewOnlyAdminMixin

from . import report_views
from .models import (
    ApiToken,
    FiscalYear,
    ImportBatch,
    Initiative,
    KeyResult,
    KeyResultEntry,
    SupportRecord,
)


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "center", "owner", "start_date", "end_date"]
    list_filter = ["center"]
    search_fields = ["name", "code", "owner"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """Goals and definitions per year; also the home of the report's and the import's pages."""

    list_display = ["__str__", "direct_goal", "indirect_goal"]
    filter_horizontal = ["priority_initiatives"]

    def get_urls(self):
        wrap = self.admin_site.admin_view

        def page(view):
            return wrap(partial(view, admin_site=self.admin_site))

        return [
            path("report/", page(report_views.report_view), name="reporting_report"),
            path(
                "report/print/", page(report_views.report_print_view), name="reporting_report_print"
            ),
            path("report/pdf/", page(report_views.report_pdf_view), name="reporting_report_pdf"),
            path("report/xlsx/", page(report_views.report_xlsx_view), name="reporting_report_xlsx"),
            path("report/csv/", page(report_views.report_csv_view), name="reporting_report_csv"),
            path("import/", page(report_views.import_view), name="reporting_import"),
            *super().get_urls(),
        ]


@admin.register(SupportRecord)
class SupportRecordAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["lea", "initiative", "fiscal_year", "quarter", "kind", "source", "date"]
    list_filter = ["fiscal_year", "quarter", "kind", "source", "initiative"]
    search_fields = ["lea__name", "lea__cds_code"]
    list_select_related = ["lea", "initiative"]
    show_full_result_count = False


@admin.register(ImportBatch)
class ImportBatchAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported_at",
        "imported_by",
        "rows",
        "created",
        "updated",
        "unchanged",
    ]
    list_select_related = ["imported_by"]


class KeyResultEntryInline(admin.TabularInline):
    model = KeyResultEntry
    extra = 1


@admin.register(KeyResult)
class KeyResultAdmin(admin.ModelAdmin):
    list_display = ["name", "fiscal_year", "area", "measure", "initiative", "target"]
    list_filter = ["fiscal_year", "area"]
    list_select_related = ["initiative"]
    inlines = [KeyResultEntryInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens come from `manage.py create_api_token` (the secret is shown once); revoked here."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.")
