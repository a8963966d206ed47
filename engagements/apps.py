from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "Engagements"

    def ready(self):
        from django.contrib import admin

        from contracts import services as contracts_services
        from core.admin_site import IndexPanel
        from notices import registry
        from requests_intake import panels

        from . import services, views
        from .notice_kinds import KINDS

        registry.register(*KINDS)
        # Recording execution of an agreement opens its engagement, in the same transaction;
        # contracts never imports engagements.
        if services.engagement_open_on_execution not in contracts_services.EXECUTION_HOOKS:
            contracts_services.EXECUTION_HOOKS.append(services.engagement_open_on_execution)
        # The LEA's request page links to its engagement; requests_intake never imports us.
        if views.engagement_panel not in panels.REQUEST_PAGE_PANELS:
            panels.REQUEST_PAGE_PANELS.append(views.engagement_panel)
        admin.site.register_index_panel(
            IndexPanel(
                title="Engagement portfolio",
                url_name="admin:engagements_portfolio",
                text="active engagements: next report due, overdue reports, indicators off track.",
                permission="engagements.view_engagement",
            )
        )
        admin.site.register_index_panel(
            IndexPanel(
                title="Deliverable status",
                url_name="admin:engagements_deliverables",
                text="the deliverables of each engagement, as its latest report gives them.",
                permission="engagements.view_deliverable_status",
            )
        )
