from django.apps import AppConfig


class RequestsIntakeConfig(AppConfig):
    name = "requests_intake"
    verbose_name = "Requests for assistance"

    def ready(self):
        from notices import registry

        from .notice_kinds import KINDS

        registry.register(*KINDS)
