from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: roles, decisions, the lifecycle runner, private files, admin pieces.

    It imports no other project package; every app may import it.
    """

    name = "core"
    verbose_name = "Core"
