from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Assistance providers"

    def ready(self):
        from contracts import services as contracts_services
        from engagements import permissions as engagement_permissions
        from engagements import selectors as engagement_selectors
        from notices import registry

        from . import matching_setup, permissions, selectors, services
        from .notice_kinds import KINDS

        registry.register(*KINDS)
        # Executing an agreement gives its engagement to the scope of work's assignments; this
        # runs after engagements' hook (INSTALLED_APPS order), so the engagement exists.
        if services.assignments_follow_execution not in contracts_services.EXECUTION_HOOKS:
            contracts_services.EXECUTION_HOOKS.append(services.assignments_follow_execution)
        # Assigned providers' people see their engagements and co-author the reports there;
        # engagements never imports providers.
        if permissions.works_on not in engagement_permissions.PARTICIPANT_CHECKS:
            engagement_permissions.PARTICIPANT_CHECKS.append(permissions.works_on)
        if selectors.assigned_engagement_ids not in engagement_selectors.PARTICIPANT_ENGAGEMENTS:
            engagement_selectors.PARTICIPANT_ENGAGEMENTS.append(selectors.assigned_engagement_ids)
        # Matching: assignment notices, the agreement's providers, the candidates links.
        matching_setup.connect()
