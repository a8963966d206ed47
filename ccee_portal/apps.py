from django.apps import AppConfig


class CceePortalConfig(AppConfig):
    name = "ccee_portal"
    verbose_name = "CCEE Assistance Portal"
