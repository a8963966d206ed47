from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Assistance providers"

    def ready(self):
        from contracts import services as contracts_services

        from . import matching_setup, services

        # Executing an agreement gives its engagement to the scope of work's assignments; this
        # runs after engagements' hook (INSTALLED_APPS order), so the engagement exists.
        if services.assignments_follow_execution not in contracts_services.EXECUTION_HOOKS:
            contracts_services.EXECUTION_HOOKS.append(services.assignments_follow_execution)
        # Matching: assignment notices, the agreement's providers, the candidates links.
        matching_setup.connect()
