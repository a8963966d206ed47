"""The state's data: the assistance status years (read-only; imported) and the apportionments."""

from django.contrib import admin
from django.db import models

from .models import AssistanceStatusRecord, EmergencyApportionment


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


@admin.register(EmergencyApportionment)
class EmergencyApportionmentAdmin(admin.ModelAdmin):
    """The list CDE publishes on its web page, kept by hand; it verifies (g)(2)(A)."""

    list_display = ["lea_name", "cds_code", "apportionment_date", "amount", "status"]
    list_filter = ["status"]
    search_fields = ["cds_code", "lea_name"]
    # CDE's pages are served over HTTPS: a link typed without its scheme gets https://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
