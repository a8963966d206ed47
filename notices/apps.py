from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Notices"

    def ready(self):
        # The sweep's periodic task lives beside the sweep: tasks.py cannot import it, because
        # the sweep hands rows to Celery through services.py, which imports tasks.py.
        from . import sweep  # noqa: F401
