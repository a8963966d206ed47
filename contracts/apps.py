from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self):
        from django.contrib import admin

        from core import business_days
        from core.admin_site import IndexPanel
        from notices import registry
        from requests_intake import panels, workflow

        from . import calendar, drafting, views
        from .notice_kinds import KINDS

        registry.register(*KINDS)

        # The one-off office closures kept here count in every app's business days.
        if calendar.contract_closures_between not in business_days.CLOSURE_SOURCES:
            business_days.CLOSURE_SOURCES.append(calendar.contract_closures_between)

        # Approval drafts the scope of work inside the approval's transaction; the LEA's request
        # page shows the agreement panel. requests_intake never imports contracts.
        if drafting.draft_on_approval not in workflow.APPROVAL_HOOKS:
            workflow.APPROVAL_HOOKS.append(drafting.draft_on_approval)
        if views.agreement_panel not in panels.REQUEST_PAGE_PANELS:
            panels.REQUEST_PAGE_PANELS.append(views.agreement_panel)
        admin.site.register_index_panel(
            IndexPanel(
                title="Contracts",
                url_name="admin:contracts_dashboard",
                text="scopes of work awaiting approval, agreements due soon and overdue ones.",
                permission="contracts.view_scopeofwork",
            )
        )
