from django.apps import AppConfig


class RequestsIntakeConfig(AppConfig):
    name = "requests_intake"
    verbose_name = "Requests for assistance"
