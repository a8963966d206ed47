from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "OKR reporting"

    def ready(self):
        from django.contrib import admin

        from core.admin_site import IndexPanel

        admin.site.register_index_panel(
            IndexPanel(
                title="OKR report",
                url_name="admin:reporting_report",
                text="LEAs supported directly and indirectly against the year's goals, by "
                "initiative, Center, county, LEA type and quarter; key results; exports.",
                permission="reporting.view_report",
            )
        )
