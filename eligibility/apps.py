from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """The law as code: EC 52074 (g)/(h) and CCEE's minimum threshold; no tables."""

    name = "eligibility"
    label = "eligibility"
    verbose_name = "Eligibility"
