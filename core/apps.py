from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    """The bottom layer: roles, decisions, the lifecycle runner, private files, admin pieces.

    It imports no other project package; every app may import it.
    """

    name = "core"
    verbose_name = "Core"


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the portal's site (core.admin_site.PortalAdminSite) as admin.site."""

    default = False  # named in INSTALLED_APPS; "core" alone means CoreConfig
    default_site = "core.admin_site.PortalAdminSite"
