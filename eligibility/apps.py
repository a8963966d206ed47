from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """The law as code (EC 52074, 52072(a), CCEE's threshold) and the state's data for it."""

    name = "eligibility"
    label = "eligibility"
    verbose_name = "Eligibility"
