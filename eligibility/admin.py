"""The state's data as imported: read-only, since import_assistance_status is its one writer."""

from django.contrib import admin

from .models import AssistanceStatusRecord


@admin.register(AssistanceStatusRecord)
class AssistanceStatusRecordAdmin(admin.ModelAdmin):
    list_display = ["cds_code", "lea_name", "county_name", "reporting_year", "imported_at"]
    list_filter = ["reporting_year"]
    search_fields = ["cds_code", "lea_name"]

    # eligibility imports no other project package, so core's view-only mixin is restated here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
