from django.apps import AppConfig


class RequestsIntakeConfig(AppConfig):
    name = "requests_intake"
    verbose_name = "Requests for assistance"

    def ready(self):
        from django.contrib import admin

        from core.admin_site import IndexPanel
        from notices import registry

        from . import confirmation_pages, county_confirmations, panels, workflow
        from .documents import RECEIPT_COPY_MAKER
        from .notice_kinds import KINDS

        registry.register(*KINDS)
        registry.register_attachment_maker(RECEIPT_COPY_MAKER)
        # Submission sends the county office and geographic lead their confirmation links.
        if county_confirmations.county_confirmations_open not in workflow.SUBMISSION_HOOKS:
            workflow.SUBMISSION_HOOKS.append(county_confirmations.county_confirmations_open)
        if confirmation_pages.county_confirmation_panel not in panels.REQUEST_PAGE_PANELS:
            panels.REQUEST_PAGE_PANELS.append(confirmation_pages.county_confirmation_panel)

        admin.site.register_index_panel(
            IndexPanel(
                title="Triage",
                url_name="admin:requests_intake_assistancerequest_dashboard",
                text="requests awaiting their 48-hour verification, overdue ones, your assigned "
                "requests and the monthly figures.",
                permission="requests_intake.verify_assistancerequest",
            )
        )
